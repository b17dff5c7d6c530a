package io.fabricipam.dhcp.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The journal's files are its owner's only: the directory 0700, every file 0600 (lease changes name
 * clients, hosts and addresses). Also the two durability steps Java leaves out: fsync of a directory (so a
 * new or renamed file survives power loss) and replacing a file atomically.
 */
final class JournalFiles {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private JournalFiles() {
    }

    /** Creates {@code dir} (and its parents) if needed; the directory itself is made 0700. */
    static void createDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
    }

    /** Opens {@code file}, creating it 0600; an existing file is narrowed to 0600 too. */
    static FileChannel open(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> all = new java.util.HashSet<>(Set.of(options));
        all.add(StandardOpenOption.CREATE);
        FileChannel channel = POSIX ? FileChannel.open(file, all, PosixFilePermissions.asFileAttribute(FILE))
                : FileChannel.open(file, all, new FileAttribute<?>[0]);
        if (POSIX) {
            Files.setPosixFilePermissions(file, FILE);
        }
        return channel;
    }

    /** Makes the directory's entries (new, renamed, deleted files) durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Replaces {@code file} with {@code content} so that a crash leaves the old file or the new one, whole. */
    static void replace(Path file, ByteBuffer content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try (FileChannel out = open(next, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (content.hasRemaining()) {
                out.write(content);
            }
            out.force(true);
        }
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(file.getParent());
    }
}
