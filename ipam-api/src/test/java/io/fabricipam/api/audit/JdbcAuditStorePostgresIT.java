package io.fabricipam.api.audit;

import io.fabricipam.api.store.PrivatePostgres;
import io.fabricipam.apitest.MigratedDatabase;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit table's SQL on a private PostgreSQL; skipped where it is not installed, failed there in CI (Tools). */
@EnabledIf(value = "io.fabricipam.api.store.TestPostgres#installed",
        disabledReason = "PostgreSQL is not installed (apt-get install -y postgresql)")
class JdbcAuditStorePostgresIT extends JdbcAuditStoreSuite {

    @RegisterExtension
    static final PrivatePostgres<MigratedDatabase> POSTGRES = new PrivatePostgres<>(MigratedDatabase::at);

    @Override
    MigratedDatabase database() {
        return POSTGRES.database();
    }
}
