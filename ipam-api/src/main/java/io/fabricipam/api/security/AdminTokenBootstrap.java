package io.fabricipam.api.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * Makes sure someone can administer the API after the first start. With an admin token given at start
 * (environment or property) there is nothing to do. Otherwise, when the table holds no working admin token
 * (a first start, or every admin token was revoked: restarting is the way back in), one is generated, written
 * to {@code ${fabric.data-dir}/admin-token} readable by its owner only, and its hash stored. The log shows a
 * short prefix and the file, never the value.
 */
final class AdminTokenBootstrap {

    static final String FILE_NAME = "admin-token";
    static final String ADMIN_NAME = "admin";

    private static final Logger log = LoggerFactory.getLogger(AdminTokenBootstrap.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** Nodes of a cluster starting together may race for the first admin token; one wins, the rest find it. */
    private static final int ATTEMPTS = 3;

    private final JdbcApiTokenStore store;
    private final TokenRegistry registry;
    private final Clock clock;
    private final Path dataDir;
    private final String givenBy;

    /** @param givenBy where the admin token given at start came from, for the log; null when none was */
    AdminTokenBootstrap(JdbcApiTokenStore store, TokenRegistry registry, Clock clock, Path dataDir, String givenBy) {
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        this.dataDir = dataDir;
        this.givenBy = givenBy;
    }

    void run() {
        if (registry.hasBootstrapAdmin()) {
            log.info("API admin token: the one given in {} (held in memory as its hash, not stored)", givenBy);
            return;
        }
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (store.hasActiveAdmin()) {
                return;
            }
            String name = freeName();
            String token = Tokens.newToken();
            Path file = dataDir.resolve(FILE_NAME);
            // The file first: a stored hash whose value was never written down would lock the operator out.
            writeOwnerOnly(file, token);
            try {
                store.insert(name, ApiRole.ADMIN, Tokens.hash(token), clock.instant());
            } catch (DuplicateKeyException raced) {
                deleteQuietly(file);
                continue;
            } catch (RuntimeException e) {
                deleteQuietly(file);
                throw e;
            }
            registry.reload();
            log.info("Generated the API admin token '{}' ({}) and wrote it to {}, readable by its owner only;"
                    + " it is not shown anywhere else", name, Tokens.shortPrefix(token), file.toAbsolutePath());
            return;
        }
        throw new IllegalStateException("could not create the first admin token after " + ATTEMPTS + " attempts");
    }

    /** {@code admin}, or {@code admin-2}, ... when revoked admins hold the name (names are never reused). */
    private String freeName() {
        if (!store.nameTaken(ADMIN_NAME)) {
            return ADMIN_NAME;
        }
        for (int n = 2; ; n++) {
            String name = ADMIN_NAME + "-" + n;
            if (!store.nameTaken(name)) {
                return name;
            }
        }
    }

    /**
     * Writes the token to a temporary file that is created with owner-only permissions (the umask can only
     * remove bits), then renames it over the target: the value is never in a file anyone else could open,
     * and a reader never sees half of it.
     */
    static void writeOwnerOnly(Path file, String token) {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path tmp = null;
        try {
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
                } else {
                    Files.createDirectories(dir);
                }
            }
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            tmp = Files.createTempFile(dir, "." + FILE_NAME + "-", ".tmp", attributes);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the generated admin token to " + file
                    + "; make the data directory writable or give one in FABRIC_IPAM_ADMIN_TOKEN", e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", file, e.getMessage());
        }
    }
}
