package io.fabricipam.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.api.security.JdbcApiTokenStore.ActiveToken;
import io.fabricipam.apitest.MigratedDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;

/** The token table's SQL, run on each database the application supports (H2 here, PostgreSQL in the IT). */
abstract class JdbcApiTokenStoreSuite {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00.123456Z");

    abstract MigratedDatabase database();

    JdbcApiTokenStore store;

    @BeforeEach
    void empty() {
        database().execute("DELETE FROM api_token");
        store = new JdbcApiTokenStore(database().dataSource());
    }

    @Test
    void storesNameRoleHashAndTimesToTheMillisecond() {
        store.insert("ci", ApiRole.READER, Tokens.hash("v1"), T0);

        assertThat(store.find("ci")).contains(new ApiToken("ci", ApiRole.READER, Instant.parse("2026-11-21T10:00:00.123Z"), null, null));
        assertThat(store.list()).extracting(ApiToken::name).containsExactly("ci");
        assertThat(store.active()).containsExactly(new ActiveToken(Tokens.hash("v1"), new ApiPrincipal("ci", ApiRole.READER)));
        assertThat(store.find("other")).isEmpty();
    }

    @Test
    void namesAndHashesAreUnique() {
        store.insert("ci", ApiRole.READER, Tokens.hash("v1"), T0);
        assertThatThrownBy(() -> store.insert("ci", ApiRole.ADMIN, Tokens.hash("v2"), T0)).isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> store.insert("ci2", ApiRole.ADMIN, Tokens.hash("v1"), T0)).isInstanceOf(DuplicateKeyException.class);
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void theTableTakesOnlyKnownRoles() {
        assertThatThrownBy(() -> database().execute("INSERT INTO api_token (name, role, token_hash, created_at)"
                + " VALUES ('x', 'ROOT', 'h', CURRENT_TIMESTAMP)")).hasCauseInstanceOf(java.sql.SQLException.class);
        assertThat(store.list()).isEmpty();
    }

    @Test
    void revokingKeepsTheRowAndTheFirstTime() {
        store.insert("ci", ApiRole.ADMIN, Tokens.hash("v1"), T0);
        assertThat(store.hasActiveAdmin()).isTrue();

        assertThat(store.revoke("ci", T0.plusSeconds(60))).isTrue();
        assertThat(store.revoke("ci", T0.plusSeconds(120))).isTrue();
        assertThat(store.revoke("nobody", T0)).isFalse();

        assertThat(store.find("ci").orElseThrow().revokedAt()).isEqualTo(Instant.parse("2026-11-21T10:01:00.123Z"));
        assertThat(store.active()).isEmpty();
        assertThat(store.hasActiveAdmin()).isFalse();
        assertThat(store.nameTaken("ci")).isTrue();
        assertThat(store.nameTaken("other")).isFalse();
    }

    @Test
    void readersDoNotCountAsAdmins() {
        store.insert("ci", ApiRole.READER, Tokens.hash("v1"), T0);
        assertThat(store.hasActiveAdmin()).isFalse();
    }

    @Test
    void lastUseOnlyMovesForward() {
        store.insert("ci", ApiRole.READER, Tokens.hash("v1"), T0);
        store.touch(Tokens.hash("v1"), T0.plus(Duration.ofMinutes(5)));
        store.touch(Tokens.hash("v1"), T0.plus(Duration.ofMinutes(2)));
        assertThat(store.find("ci").orElseThrow().lastUsedAt()).isEqualTo(Instant.parse("2026-11-21T10:05:00.123Z"));
    }

    @Test
    void aConstraintViolationIsADataIntegrityViolation() {
        assertThatThrownBy(() -> store.insert(null, ApiRole.READER, "h", T0)).isInstanceOf(DataIntegrityViolationException.class);
    }
}
