package io.fabricipam.api.store;

import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The journals on a private PostgreSQL 15; skipped when PostgreSQL is not installed. */
@EnabledIf(value = "io.fabricipam.api.store.PostgresServer#installed",
        disabledReason = "PostgreSQL 15 is not installed (apt-get install -y postgresql)")
class LeaseJournalOnPostgresIT extends LeaseJournalOnDatabaseSuite {

    @RegisterExtension
    static final PrivatePostgres<TestDatabase> POSTGRES = new PrivatePostgres<>(TestDatabase::at);

    @Override
    TestDatabase database() {
        return POSTGRES.database();
    }
}
