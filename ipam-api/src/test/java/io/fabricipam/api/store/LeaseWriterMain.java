package io.fabricipam.api.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.store.LeaseChange;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The child process of {@link JdbcLeaseStoreCrashIT}: binds leases in batches through a
 * {@link JdbcLeaseStore} on an H2 file, and prints "acked N" once batch N's {@code apply} returned, until
 * it is killed. Lease {@code i} of batch {@code n} is a pure function of (n, i), so the parent can check
 * what it reads back without being told.
 */
public final class LeaseWriterMain {

    static final UUID SCOPE = UUID.fromString("c4a5e000-0000-4000-8000-00000000c4a5");
    static final int BATCH = 20;
    static final long MAX_BATCHES = 200_000; // stops on its own should the parent fail to kill it
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    private LeaseWriterMain() {
    }

    public static void main(String[] args) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(2);
        PrintStream out = System.out;
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            JdbcLeaseStore store = new JdbcLeaseStore(dataSource);
            for (long n = 0; n < MAX_BATCHES; n++) {
                List<LeaseChange> changes = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    Lease lease = lease(n, i);
                    changes.add(new LeaseChange(null, lease, LeaseEvent.of(LeaseEventType.BOUND, lease,
                            lease.startedAt(), "batch " + n), true));
                }
                store.apply(changes);
                out.println("acked " + n);
                out.flush();
            }
        }
    }

    static Lease lease(long batch, int index) {
        long n = batch * BATCH + index;
        MacAddress mac = new MacAddress(0x0200_0000_0000L + n);
        Instant at = START.plusMillis(n);
        return new Lease(SCOPE, Ipv4Address.ofUnsigned(0x0a00_0000L + n), ClientKey.ofHardware(mac), mac, "vm-" + n,
                LeaseState.BOUND, at, at.plusSeconds(3600), "host-a:vnet" + index);
    }
}
