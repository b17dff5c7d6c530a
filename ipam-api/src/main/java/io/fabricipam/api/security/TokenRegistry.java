package io.fabricipam.api.security;

import io.fabricipam.api.security.JdbcApiTokenStore.ActiveToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;

/**
 * The working tokens, by hash, in memory: authenticating a request costs a SHA-256 and a map lookup, no
 * database round trip. The map is rebuilt from the table after every change made here and every
 * {@code fabric.api.token-refresh} (changes made on another node of a cluster).
 *
 * <p>Last use is written lazily: at most once a {@link #TOUCH_INTERVAL} per token, on the maintenance
 * thread, so a burst of requests costs one UPDATE and none waits for it.
 *
 * <p>The admin token given at start ({@code FABRIC_IPAM_ADMIN_TOKEN} or {@code fabric.api.admin-token})
 * lives here only, as its hash, under the name {@value #BOOTSTRAP_ADMIN}: it is not stored, so changing the
 * variable retires the old value at the next start.
 */
public final class TokenRegistry implements AutoCloseable {

    /** The principal name of the admin token given at start; no stored token may take it. */
    public static final String BOOTSTRAP_ADMIN = "bootstrap-admin";

    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final long NEVER = Long.MIN_VALUE;

    private static final Logger log = LoggerFactory.getLogger(TokenRegistry.class);

    /** A token was created; its value is here and nowhere else, ever. */
    public record CreatedToken(ApiToken token, String value) {

        @Override
        public String toString() {
            return "CreatedToken[" + token + "]";
        }
    }

    /** The name is taken by a stored token (working or revoked: names are never reused) or reserved. */
    public static final class NameTakenException extends RuntimeException {
        NameTakenException(String name) {
            super("a token named '" + name + "' exists");
        }
    }

    /** A working token: who it is, whether its row exists (the bootstrap token has none), and its last touch. */
    private static final class Entry {
        final ApiPrincipal principal;
        final boolean stored;
        final AtomicLong lastTouchMillis = new AtomicLong(NEVER);

        Entry(ApiPrincipal principal, boolean stored) {
            this.principal = principal;
            this.stored = stored;
        }
    }

    private final JdbcApiTokenStore store;
    private final Clock clock;
    private final String bootstrapHash;
    private final Duration refresh;
    private final ScheduledExecutorService maintenance;
    private volatile Map<String, Entry> byHash = Map.of();

    TokenRegistry(JdbcApiTokenStore store, Clock clock, String bootstrapAdminToken, Duration refresh) {
        this.store = store;
        this.clock = clock;
        this.bootstrapHash = bootstrapAdminToken == null ? null : Tokens.hash(bootstrapAdminToken);
        this.refresh = refresh;
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "api-token-maintenance");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads the tokens and starts the periodic refresh. */
    void start() {
        reload();
        long millis = refresh.toMillis();
        maintenance.scheduleWithFixedDelay(this::refreshQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Who the token is, if it works. Never logs or keeps the value. */
    public Optional<ApiPrincipal> authenticate(String value) {
        if (value == null || value.isEmpty() || value.length() > Tokens.MAX_LENGTH) {
            return Optional.empty();
        }
        String hash = Tokens.hash(value);
        Entry entry = byHash.get(hash);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.stored) {
            touchLazily(hash, entry);
        }
        return Optional.of(entry.principal);
    }

    /**
     * Creates a token; its value is in the result only.
     *
     * @throws NameTakenException when the name is taken or reserved
     */
    public CreatedToken create(String name, ApiRole role) {
        if (BOOTSTRAP_ADMIN.equals(name)) {
            throw new NameTakenException(name);
        }
        String value = Tokens.newToken();
        Instant createdAt = clock.instant();
        try {
            store.insert(name, role, Tokens.hash(value), createdAt);
        } catch (DuplicateKeyException e) {
            throw new NameTakenException(name);
        }
        reload();
        ApiToken token = store.find(name).orElseThrow(() -> new IllegalStateException("token " + name + " vanished"));
        return new CreatedToken(token, value);
    }

    /** @return false when there is no token of that name */
    public boolean revoke(String name) {
        boolean known = store.revoke(name, clock.instant());
        if (known) {
            reload();
        }
        return known;
    }

    public List<ApiToken> list() {
        return store.list();
    }

    public Optional<ApiToken> find(String name) {
        return store.find(name);
    }

    /** Whether an admin token was given at start (environment or property). */
    public boolean hasBootstrapAdmin() {
        return bootstrapHash != null;
    }

    /** Rebuilds the cache from the table, keeping each token's last touch so that a reload writes nothing. */
    synchronized void reload() {
        Map<String, Entry> old = byHash;
        Map<String, Entry> next = new HashMap<>();
        if (bootstrapHash != null) {
            next.put(bootstrapHash, reuse(old.get(bootstrapHash), new ApiPrincipal(BOOTSTRAP_ADMIN, ApiRole.ADMIN), false));
        }
        // A stored token wins over the bootstrap one of the same value: it has a name and a last use to keep.
        for (ActiveToken token : store.active()) {
            next.put(token.hash(), reuse(old.get(token.hash()), token.principal(), true));
        }
        byHash = Map.copyOf(next);
    }

    private static Entry reuse(Entry old, ApiPrincipal principal, boolean stored) {
        if (old != null && old.principal.equals(principal) && old.stored == stored) {
            return old;
        }
        return new Entry(principal, stored);
    }

    private void refreshQuietly() {
        try {
            reload();
        } catch (DataAccessException | IllegalStateException e) {
            // Keep serving with the tokens we have; a database outage must not lock everyone out.
            log.warn("Could not reload API tokens (keeping the {} cached): {}", byHash.size(), e.getMessage());
        }
    }

    private void touchLazily(String hash, Entry entry) {
        long now = clock.millis();
        long last = entry.lastTouchMillis.get();
        if (last != NEVER && now - last < TOUCH_INTERVAL.toMillis()) {
            return;
        }
        // One winner per interval; the losers saw the same "due" and simply skip.
        if (entry.lastTouchMillis.compareAndSet(last, now)) {
            try {
                maintenance.execute(() -> touch(hash, now));
            } catch (RejectedExecutionException e) {
                // shutting down: last use is a hint, not a record
            }
        }
    }

    private void touch(String hash, long millis) {
        try {
            store.touch(hash, Instant.ofEpochMilli(millis));
        } catch (DataAccessException e) {
            log.warn("Could not record a token's last use: {}", e.getMessage());
        }
    }

    /** Waits until the maintenance work queued so far (touches, a reload) is done; for tests and shutdown. */
    void awaitMaintenance(Duration timeout) {
        try {
            maintenance.submit(() -> { }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            throw new IllegalStateException("token maintenance did not finish", e);
        }
    }

    @Override
    public void close() {
        maintenance.shutdown();
        try {
            if (!maintenance.awaitTermination(5, TimeUnit.SECONDS)) {
                maintenance.shutdownNow();
            }
        } catch (InterruptedException e) {
            maintenance.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
