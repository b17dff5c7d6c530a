package io.fabricipam.controller.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code fabric.data-dir}, resolved once. The default {@code ./data} is relative to the working directory,
 * a trap for a service (started from another directory it finds another, empty, data directory); it stays
 * the default so that {@code java -jar} keeps working, but before any bean is created the path is made
 * absolute, logged, and put back into the environment ahead of every other source, so that the database
 * URL ({@code ${fabric.data-dir}}), the journal and the admin token all use that one absolute path.
 *
 * <p>The directory holds leases, the journal and the admin token: it is created 0700 (an existing one owned
 * by this user is narrowed to 0700, unless it is a shared directory such as /tmp), and once the application
 * has started the files in it are narrowed to 0600 (H2 creates its files with the umask's mode; the journal
 * and the token file are created 0600 already).
 *
 * <p>Registered in {@code META-INF/spring.factories}: it must run on {@link ApplicationPreparedEvent}, after
 * every property source is in place (tests add theirs late) and before the context creates the DataSource;
 * the early DHCP phase ({@code EarlyDhcp}) calls {@link #prepare} before that, when the environment is ready.
 */
public final class DataDirectory implements SmartApplicationListener {

    public static final String PROPERTY = "fabric.data-dir";
    static final String DEFAULT = "./data";
    static final String SOURCE = "fabricDataDirectory";
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> type) {
        return ApplicationPreparedEvent.class.isAssignableFrom(type) || ApplicationStartedEvent.class.isAssignableFrom(type);
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationPreparedEvent prepared) {
            prepare(prepared.getApplicationContext().getEnvironment());
        } else if (event instanceof ApplicationStartedEvent started) {
            String dir = started.getApplicationContext().getEnvironment().getProperty(PROPERTY);
            if (dir != null) {
                restrictFiles(Path.of(dir));
            }
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /**
     * Resolves, creates and logs the data directory, and makes every later lookup see the absolute path. Run by
     * the early DHCP phase when the environment is prepared and again when the context is (tests add property
     * sources late); the second time, when nothing changed, it only makes sure the directory is there.
     */
    public static Path prepare(ConfigurableEnvironment environment) {
        String given = environment.getProperty(PROPERTY, DEFAULT);
        Path dir = resolve(given);
        boolean again = environment.getPropertySources().contains(SOURCE) && dir.toString().equals(given);
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, Map.of(PROPERTY, dir.toString())));
        try {
            create(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir + " (" + PROPERTY + "=" + given + ")", e);
        }
        if (again) {
            return dir;
        }
        if (dir.toString().equals(given)) {
            log.info("data directory: {}", dir);
        } else {
            log.info("data directory: {} ({}={}, resolved against the working directory {})", dir, PROPERTY, given,
                    Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** {@code given} as an absolute, normalised path (relative paths against the working directory). */
    static Path resolve(String given) {
        return Path.of(given.strip()).toAbsolutePath().normalize();
    }

    private static void create(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY)); // parents as the umask says
            } else {
                Files.createDirectories(dir);
            }
        }
        if (POSIX && ownedAndPrivate(dir)) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        } else if (POSIX) {
            log.warn("data directory {} is shared (not ours, or writable by others): its permissions are left as they"
                    + " are; give the service a directory of its own", dir);
        }
    }

    /** Ours, and not a directory others may write to (narrowing /tmp would break the machine). */
    private static boolean ownedAndPrivate(Path dir) throws IOException {
        String me = System.getProperty("user.name");
        boolean ours = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(me);
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
        return ours && !mode.contains(PosixFilePermission.OTHERS_WRITE) && !mode.contains(PosixFilePermission.GROUP_WRITE);
    }

    /** Narrows the files directly in {@code dir} (the database's, the token) to 0600; the journal does its own. */
    static void restrictFiles(Path dir) {
        if (!POSIX || !Files.isDirectory(dir)) {
            return;
        }
        try {
            if (!ownedAndPrivate(dir)) {
                return;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    if (!Files.getPosixFilePermissions(f).equals(FILE)) {
                        Files.setPosixFilePermissions(f, FILE);
                    }
                }
            }
        } catch (IOException e) {
            log.warn("files in the data directory {} not narrowed to 0600: {}", dir, e.toString());
        }
    }
}
