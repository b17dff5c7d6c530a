package io.fabricipam.controller.start;

import com.zaxxer.hikari.HikariDataSource;
import io.fabricipam.api.store.JdbcLeaseStore;
import io.fabricipam.api.store.JdbcScopeStore;
import io.fabricipam.controller.cluster.ClusterMode;
import io.fabricipam.controller.cluster.ClusterProperties;
import io.fabricipam.controller.cluster.ClusterRuntime;
import io.fabricipam.controller.data.DataDirectory;
import io.fabricipam.controller.dhcp.DhcpCore;
import io.fabricipam.controller.dhcp.DhcpProperties;
import io.fabricipam.controller.dhcp.ScopesProperties;
import io.fabricipam.controller.udp.UdpFrontEnd;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayProperties;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The early start-up phase: DHCP answers before the Spring context exists. Measured here, the context (web,
 * security, actuator, OpenFlow, storage) takes seconds to tens of seconds to start on a busy 2-core host,
 * and a DHCP server that is down that long after every crash or upgrade leaves booting VMs without
 * addresses. So, as soon as Spring Boot has read the configuration (command line, environment,
 * application.yml) and set up logging, this builds what a DHCP answer depends on from plain parts: a Hikari
 * pool on {@code spring.datasource.*}, the schema brought up to date, the JDBC stores, the {@link DhcpCore} (journal recovery, every
 * scope and lease loaded, configured scopes applied) and the {@link UdpFrontEnd}, and starts them. The
 * context then takes them over as its beans ({@link EarlyDhcpConfiguration}, {@link DhcpCoreConfiguration}):
 * one pool, one journal, one scope directory for DHCP and REST alike.
 *
 * <p>Used by {@link io.fabricipam.controller.FabricIpamApplication#main}; an application started another way
 * (tests) builds the same core inside the context instead.
 *
 * <p>States: NEW -> STARTED (environment prepared: DHCP answering) -> HANDED_OVER (context prepared: the
 * context stops and closes everything, in lifecycle order) -> CLOSED. Until the context has started, a
 * JVM shutdown hook of its own stops the front end and the core, so a SIGTERM in that window is orderly too.
 */
public final class EarlyDhcp implements ApplicationListener<ApplicationEvent>, DisposableBean {

    /** The name under which the context finds this phase's parts. */
    static final String BEAN_NAME = "earlyDhcp";
    /** The cluster runtime of a host in cluster mode, for the context's cluster status. */
    static final String CLUSTER_BEAN_NAME = "clusterRuntime";

    private static final Logger log = LoggerFactory.getLogger(EarlyDhcp.class);

    /** Spring Boot's default {@code server.port}. */
    private static final int DEFAULT_HTTP_PORT = 8080;

    private HikariDataSource dataSource;
    private DhcpCore core;
    private ClusterRuntime clusterRuntime;
    private UdpFrontEnd udp;
    private Thread exitHook;
    private boolean closed;

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            start(prepared.getEnvironment());
        } else if (event instanceof ApplicationPreparedEvent prepared && core != null) {
            DefaultListableBeanFactory beans = (DefaultListableBeanFactory) prepared.getApplicationContext().getBeanFactory();
            beans.registerSingleton(BEAN_NAME, this);
            if (clusterRuntime != null) {
                beans.registerSingleton(CLUSTER_BEAN_NAME, clusterRuntime);
            }
            // registered before any bean is created, so destroyed after all of them: the pool closes last
            beans.registerDisposableBean(BEAN_NAME, this);
        } else if (event instanceof ApplicationStartedEvent) {
            releaseExitHook(); // the context's own shutdown now stops everything in order
        }
    }

    private void start(ConfigurableEnvironment environment) {
        long t0 = System.nanoTime();
        long startedAt = sinceProcessStart();
        long cpuBefore = cpuMillis();
        Binder binder = Binder.get(environment);
        // a cluster configured so that it cannot work refuses to start here, before anything opens
        ClusterProperties cluster = ClusterMode.check(environment);
        DhcpProperties dhcp = ClusterMode.effective(binder.bindOrCreate("fabric.dhcp", DhcpProperties.class), cluster);
        ScopesProperties scopes = binder.bindOrCreate("fabric", ScopesProperties.class);
        // fabric.data-dir made absolute (and created 0700) before anything uses it: the database URL, the journal
        Path dataDir = DataDirectory.prepare(environment);
        try {
            dataSource = dataSource(binder);
            long t1 = System.nanoTime();
            String schema = migrate(binder, dataSource);
            long t2 = System.nanoTime();
            Clock clock = Clock.systemUTC();
            // in a cluster the lease store writes at the epoch this host leads at (0 until it leads: refused), and
            // the configuration's scopes are applied by whichever host leads, after its takeover
            AtomicLong writerEpoch = new AtomicLong();
            JdbcScopeStore scopeStore = new JdbcScopeStore(dataSource, clock);
            JdbcLeaseStore leaseStore = cluster.enabled() ? new JdbcLeaseStore(dataSource, writerEpoch::get)
                    : new JdbcLeaseStore(dataSource);
            core = new DhcpCore(scopeStore, leaseStore, dhcp, cluster.enabled() ? List.of() : scopes.scopes(),
                    dataDir, environment.getProperty("spring.datasource.url", "the configured database"), clock);
            udp = new UdpFrontEnd(core.server(), core.listener(), dhcp, core.workers());
            // the sockets (Netty, JNA, the namespace) open on another core meanwhile the leases load
            CompletableFuture<Void> sockets = CompletableFuture.runAsync(udp::prepare, r -> new Thread(r, "udp-prepare").start());
            core.start();
            if (cluster.enabled()) {
                clusterRuntime = ClusterRuntime.start(cluster, core, scopeStore, dataSource, writerEpoch, scopes.scopes(),
                        environment.getProperty("server.port", Integer.class, DEFAULT_HTTP_PORT),
                        environment.getProperty("fabric.openflow.enabled", Boolean.class, true), clock);
            }
            long t3 = System.nanoTime();
            try {
                sockets.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
            udp.start();
            long t4 = System.nanoTime();
            exitHook = new Thread(this::stopDhcp, "early-dhcp-exit");
            Runtime.getRuntime().addShutdownHook(exitHook);
            log.info("DHCP answering {} ms after the process started, {} ms of CPU used (before the early phase {} ms and {}"
                    + " ms of CPU; early phase {} ms: database pool {} ms, schema {} in {} ms, core {} ms, UDP front end {} ms);"
                    + " the rest of the application follows", sinceProcessStart(), cpuMillis(), startedAt, cpuBefore,
                    millis(t4 - t0), millis(t1 - t0), schema, millis(t2 - t1), millis(t3 - t2), millis(t4 - t3));
        } catch (RuntimeException e) {
            stopDhcp();
            closeDataSource();
            throw e;
        }
    }

    /** As Boot's DataSourceAutoConfiguration builds it: {@code spring.datasource.*}, then {@code .hikari.*}. */
    private static HikariDataSource dataSource(Binder binder) {
        DataSourceProperties properties = binder.bindOrCreate("spring.datasource", Bindable.ofInstance(new DataSourceProperties()));
        properties.setBeanClassLoader(EarlyDhcp.class.getClassLoader());
        try {
            properties.afterPropertiesSet();
        } catch (Exception e) {
            throw new IllegalStateException("spring.datasource: " + e.getMessage(), e);
        }
        HikariDataSource ds = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        binder.bind("spring.datasource.hikari", Bindable.ofInstance(ds));
        ds.setJdbcUrl(withoutCloseOnExit(ds.getJdbcUrl()));
        if (properties.getName() != null && !properties.getName().isBlank()) {
            ds.setPoolName(properties.getName());
        }
        return ds;
    }

    /**
     * H2 closes its databases in a JVM shutdown hook of its own, which runs beside Spring's: on SIGTERM it closed
     * the database under the lease journal's last copy (seen here: "Database is already closed", the copy retried
     * until the stop took 4 s). So H2 is told not to ({@code DB_CLOSE_ON_EXIT=FALSE}, unless the URL says
     * otherwise) and {@link #destroy()} shuts it down once everything that writes to it has stopped.
     */
    static String withoutCloseOnExit(String url) {
        if (url == null || !url.startsWith("jdbc:h2:") || url.toUpperCase(Locale.ROOT).contains(";DB_CLOSE_ON_EXIT=")) {
            return url;
        }
        return url + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /**
     * SHUTDOWN for H2 (see {@link #withoutCloseOnExit}), after the pool has closed (the database stays open,
     * DB_CLOSE_DELAY -1) and on a connection of its own: a pooled one would be reset after the database is gone.
     * Other databases need nothing.
     */
    private void shutDownEmbeddedDatabase() {
        String url = dataSource == null ? null : dataSource.getJdbcUrl();
        if (url == null || !url.startsWith("jdbc:h2:")) {
            return;
        }
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url, dataSource.getUsername(), dataSource.getPassword());
                Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
            log.info("H2 database closed in {} ms", millis(System.nanoTime() - t0));
        } catch (SQLException e) {
            log.warn("H2 did not shut down cleanly ({}); it recovers at the next start", e.getMessage());
        }
    }

    /**
     * Brings the schema up to date before anything reads it. At most starts the schema is current already, which
     * {@link SchemaVersion} tells cheaply; otherwise Flyway migrates here, as Boot's FlywayAutoConfiguration
     * would with this project's settings ({@code spring.flyway.enabled} and {@code .locations}). Boot's own
     * Flyway still runs in the context afterwards and validates (a no-op migration): off the DHCP path.
     */
    private static String migrate(Binder binder, DataSource dataSource) {
        FlywayProperties properties = binder.bindOrCreate("spring.flyway", Bindable.ofInstance(new FlywayProperties()));
        if (!properties.isEnabled()) {
            return "off";
        }
        if (SchemaVersion.isCurrent(dataSource, properties.getLocations())) {
            return "current";
        }
        Flyway.configure(EarlyDhcp.class.getClassLoader()).dataSource(dataSource)
                .locations(properties.getLocations().toArray(String[]::new)).load().migrate();
        return "migrated";
    }

    private static long sinceProcessStart() {
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis()).orElse(-1L);
    }

    /** CPU time of the whole process so far (every thread: class loading, JIT, GC too). */
    private static long cpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    DhcpCore core() {
        return core;
    }

    UdpFrontEnd udpFrontEnd() {
        return udp;
    }

    /**
     * In a cluster, leadership first (this host stops answering and another takes over without waiting for its
     * session to expire); then the front end (it answers what is in flight), then the core (queued requests,
     * journal).
     */
    private synchronized void stopDhcp() {
        if (clusterRuntime != null) {
            clusterRuntime.close();
            clusterRuntime = null;
        }
        if (udp != null) {
            udp.stop();
        }
        if (core != null) {
            core.stop();
        }
    }

    private synchronized void releaseExitHook() {
        if (exitHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it stops what the context would have
            }
            exitHook = null;
        }
    }

    private void closeDataSource() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    /** Last of the context's beans to go: whatever the context did not stop yet, then the pool. */
    @Override
    public synchronized void destroy() {
        if (closed) {
            return;
        }
        closed = true;
        releaseExitHook();
        stopDhcp();
        closeDataSource();
        shutDownEmbeddedDatabase();
    }
}
