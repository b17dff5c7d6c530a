package io.fabricipam.api.store;

import java.util.function.BiFunction;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private PostgreSQL for one test class, with a database opened on it by {@code open} (url, user):
 * started before the class, closed (database, then server) after it. Register it in a static field with
 * {@code @RegisterExtension}; guard the class with {@code @EnabledIf("...TestPostgres#installed")}.
 */
public final class PrivatePostgres<D extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {

    private final BiFunction<String, String, D> open;
    private TestPostgres server;
    private D database;

    public PrivatePostgres(BiFunction<String, String, D> open) {
        this.open = open;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestPostgres.startOrSkip();
        database = open.apply(server.jdbcUrl(), server.user());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (database != null) {
                database.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    public D database() {
        return database;
    }
}
