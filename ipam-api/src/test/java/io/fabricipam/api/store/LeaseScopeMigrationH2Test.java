package io.fabricipam.api.store;

import java.util.UUID;

class LeaseScopeMigrationH2Test extends LeaseScopeMigrationSuite {

    @Override
    String newDatabase() {
        // kept open for the test's connections, gone with the JVM
        return "jdbc:h2:mem:jn-migration-" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1";
    }

    @Override
    String user() {
        return "sa";
    }
}
