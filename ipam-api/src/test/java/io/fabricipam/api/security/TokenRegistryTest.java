package io.fabricipam.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.apitest.MigratedDatabase;
import io.fabricipam.apitest.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-memory token cache over a real (H2) table. */
class TokenRegistryTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private MigratedDatabase database;
    private JdbcApiTokenStore store;
    private MutableClock clock;
    private TokenRegistry registry;

    @BeforeEach
    void start() {
        database = MigratedDatabase.h2Memory();
        store = new JdbcApiTokenStore(database.dataSource());
        clock = new MutableClock(T0);
        registry = registry("given-admin-token");
    }

    private TokenRegistry registry(String bootstrap) {
        // A refresh far beyond the test: reloads here happen because of changes, or by hand.
        TokenRegistry r = new TokenRegistry(store, clock, bootstrap, Duration.ofHours(1));
        r.start();
        return r;
    }

    @AfterEach
    void stop() {
        registry.close();
        database.close();
    }

    @Test
    void aCreatedTokenAuthenticatesAsItsNameAndRole() {
        TokenRegistry.CreatedToken created = registry.create("ci", ApiRole.READER);

        assertThat(created.value()).startsWith("fip_");
        assertThat(created.token()).isEqualTo(new ApiToken("ci", ApiRole.READER, T0, null, null));
        assertThat(created.toString()).doesNotContain(created.value());
        assertThat(registry.authenticate(created.value())).contains(new ApiPrincipal("ci", ApiRole.READER));
        assertThat(registry.authenticate(created.value() + "x")).isEmpty();
        assertThat(registry.authenticate("")).isEmpty();
        assertThat(registry.authenticate(null)).isEmpty();
        assertThat(registry.authenticate("f".repeat(Tokens.MAX_LENGTH + 1))).isEmpty();
    }

    @Test
    void onlyTheHashIsStored() {
        TokenRegistry.CreatedToken created = registry.create("ci", ApiRole.ADMIN);
        assertThat(store.active()).singleElement()
                .satisfies(t -> assertThat(t.hash()).isEqualTo(Tokens.hash(created.value())).isNotEqualTo(created.value()));
    }

    @Test
    void aRevokedTokenStopsAtOnce() {
        String value = registry.create("ci", ApiRole.ADMIN).value();
        assertThat(registry.revoke("ci")).isTrue();
        assertThat(registry.authenticate(value)).isEmpty();
        assertThat(registry.revoke("nobody")).isFalse();
    }

    @Test
    void theAdminTokenGivenAtStartIsAnInMemoryAdmin() {
        assertThat(registry.hasBootstrapAdmin()).isTrue();
        assertThat(registry.authenticate("given-admin-token"))
                .contains(new ApiPrincipal(TokenRegistry.BOOTSTRAP_ADMIN, ApiRole.ADMIN));
        assertThat(store.list()).isEmpty();
        assertThatThrownBy(() -> registry.create(TokenRegistry.BOOTSTRAP_ADMIN, ApiRole.ADMIN))
                .isInstanceOf(TokenRegistry.NameTakenException.class);
    }

    @Test
    void changingTheGivenTokenRetiresTheOldOne() {
        registry.close();
        registry = registry("the-next-value");
        assertThat(registry.authenticate("given-admin-token")).isEmpty();
        assertThat(registry.authenticate("the-next-value")).isPresent();
    }

    @Test
    void takenNamesAreRefused() {
        registry.create("ci", ApiRole.READER);
        registry.revoke("ci");
        assertThatThrownBy(() -> registry.create("ci", ApiRole.READER)).isInstanceOf(TokenRegistry.NameTakenException.class);
    }

    @Test
    void lastUseIsWrittenAtMostOnceAMinute() {
        String value = registry.create("ci", ApiRole.READER).value();

        registry.authenticate(value);
        registry.awaitMaintenance(WAIT);
        assertThat(lastUsed("ci")).isEqualTo(T0);

        clock.advance(Duration.ofSeconds(59));
        registry.authenticate(value);
        registry.awaitMaintenance(WAIT);
        assertThat(lastUsed("ci")).isEqualTo(T0);

        clock.advance(Duration.ofSeconds(1));
        registry.authenticate(value);
        registry.awaitMaintenance(WAIT);
        assertThat(lastUsed("ci")).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void aReloadKeepsTheLastTouchSoItWritesNothing() {
        String value = registry.create("ci", ApiRole.READER).value();
        registry.authenticate(value);
        registry.awaitMaintenance(WAIT);

        registry.create("other", ApiRole.READER); // reloads the cache
        clock.advance(Duration.ofSeconds(30));
        registry.authenticate(value);
        registry.awaitMaintenance(WAIT);
        assertThat(lastUsed("ci")).isEqualTo(T0);
    }

    @Test
    void changesMadeByAnotherNodeArriveWithTheRefresh() {
        String value = "fip_made-on-another-node";
        store.insert("elsewhere", ApiRole.ADMIN, Tokens.hash(value), T0);
        assertThat(registry.authenticate(value)).isEmpty();

        registry.reload();
        assertThat(registry.authenticate(value)).contains(new ApiPrincipal("elsewhere", ApiRole.ADMIN));

        store.revoke("elsewhere", T0);
        registry.reload();
        assertThat(registry.authenticate(value)).isEmpty();
    }

    private Instant lastUsed(String name) {
        return store.find(name).orElseThrow().lastUsedAt();
    }
}
