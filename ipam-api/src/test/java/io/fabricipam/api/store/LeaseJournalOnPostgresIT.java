package io.fabricipam.api.store;

import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The journals on a private PostgreSQL 15; skipped where it is not installed, failed there in CI (Tools). */
@EnabledIf(value = "io.fabricipam.api.store.TestPostgres#installed",
        disabledReason = "PostgreSQL is not installed (apt-get install -y postgresql)")
class LeaseJournalOnPostgresIT extends LeaseJournalOnDatabaseSuite {

    @RegisterExtension
    static final PrivatePostgres<TestDatabase> POSTGRES = new PrivatePostgres<>(TestDatabase::at);

    @Override
    TestDatabase database() {
        return POSTGRES.database();
    }
}
