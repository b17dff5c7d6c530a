package io.fabricipam.dhcp.journal;

import io.fabricipam.dhcp.journal.JournalService.Unstored;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.store.LeaseChange;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The file journal's dead letters: acknowledged changes the lease store refused, kept in
 * {@code unstored.journal} beside the segments until they are stored or an operator discards them. The
 * journal's position moves past a change only once it is here, so no acknowledged change is ever lost.
 *
 * <p>The file has the segments' record format and checksum ({@code [length][crc32c][sequence][payload]},
 * the sequence being the change's own record number in the journal); the payload is
 * {@code [int n][n bytes: LeaseRecordCodec][long set-aside time, epoch ms][UTF-8 error, int length first]}.
 * Each addition is appended and forced to disk (refusals are rare); removals rewrite the file atomically.
 * A tail torn by a crash is cut off at load: that change's record is still in its segment (the position
 * had not moved), so it is set aside again.
 *
 * <p>Per address the store must see changes in journal order: while an address has a dead letter, later
 * changes of that address are set aside behind it ({@link #blockerOf}) instead of being stored over it.
 *
 * <p>Thread safety: every method is synchronized; the store writes around it are serialised by
 * {@link StoreCopy}.
 */
final class DeadLetters {

    static final String FILE = "unstored.journal";
    /** Errors are kept to this many characters: a record, not a stack trace. */
    static final int MAX_ERROR = 2000;

    private record Key(UUID scope, Ipv4Address address) {
        static Key of(LeaseChange c) {
            return new Key(c.scopeId(), c.address());
        }
    }

    private final Path file;
    private final TreeMap<Long, Unstored> letters = new TreeMap<>();
    private final Map<Key, Long> firstByKey = new HashMap<>();
    private volatile int count;
    private FileChannel out;

    DeadLetters(Path dir) {
        this.file = dir.resolve(FILE);
    }

    /** Reads the file (if any) and opens it for appending. */
    synchronized void load() throws IOException {
        letters.clear();
        if (Files.exists(file)) {
            long good = JournalSegments.scan(file, true, record -> {
                Unstored u = decode(record);
                letters.put(u.sequence(), u);
            });
            if (good < Files.size(file)) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(good); // an addition a crash cut short: its change is still in its segment
                }
            }
        }
        reindex();
    }

    Path file() {
        return file;
    }

    boolean isEmpty() {
        return count == 0;
    }

    int count() {
        return count;
    }

    synchronized boolean contains(long sequence) {
        return letters.containsKey(sequence);
    }

    /** The oldest dead letter of {@code change}'s address older than {@code sequence}, or null. */
    synchronized Long blockerOf(long sequence, LeaseChange change) {
        Long first = firstByKey.get(Key.of(change));
        return first != null && first < sequence ? first : null;
    }

    /** Oldest first. */
    synchronized List<Unstored> all() {
        return List.copyOf(letters.values());
    }

    /** Adds {@code u}, durably (appended and forced), unless its sequence is here already. */
    synchronized boolean add(Unstored u) throws IOException {
        if (letters.containsKey(u.sequence())) {
            return false;
        }
        ByteBuffer bytes = JournalSegments.frame(List.of(new JournalSegments.Record(u.sequence(), encode(u))));
        if (out == null) { // created with the first letter: most journals never have one
            out = JournalFiles.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            JournalFiles.fsyncDirectory(file.getParent());
        }
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
        out.force(false);
        letters.put(u.sequence(), u);
        reindex();
        return true;
    }

    /** Keeps exactly {@code remaining} (a subset of the letters, errors possibly updated); rewrites the file. */
    synchronized void keepOnly(List<Unstored> remaining) throws IOException {
        TreeMap<Long, Unstored> next = new TreeMap<>();
        for (Unstored u : remaining) {
            next.put(u.sequence(), u);
        }
        List<JournalSegments.Record> records = new ArrayList<>();
        for (Unstored u : next.values()) {
            records.add(new JournalSegments.Record(u.sequence(), encode(u)));
        }
        if (out != null) {
            out.close();
            out = null;
        }
        JournalFiles.replace(file, JournalSegments.frame(records)); // reopened at the next addition
        letters.clear();
        letters.putAll(next);
        reindex();
    }

    /** Removes one letter durably; empty when there is none of that sequence. */
    synchronized Optional<Unstored> remove(long sequence) throws IOException {
        Unstored u = letters.get(sequence);
        if (u == null) {
            return Optional.empty();
        }
        List<Unstored> rest = new ArrayList<>(letters.values());
        rest.remove(u);
        keepOnly(rest);
        return Optional.of(u);
    }

    synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    private void reindex() {
        firstByKey.clear();
        for (Unstored u : letters.values()) { // ascending: the first put per key is the oldest
            firstByKey.putIfAbsent(Key.of(u.change()), u.sequence());
        }
        count = letters.size();
    }

    static byte[] encode(Unstored u) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            byte[] change = LeaseRecordCodec.encode(u.change());
            data.writeInt(change.length);
            data.write(change);
            data.writeLong(u.since().toEpochMilli());
            String error = u.error() == null ? "" : u.error();
            byte[] text = (error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error).getBytes(StandardCharsets.UTF_8);
            data.writeInt(text.length);
            data.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static Unstored decode(JournalSegments.Record record) {
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(record.payload()));
            byte[] change = new byte[in.readInt()];
            in.readFully(change);
            Instant since = Instant.ofEpochMilli(in.readLong());
            byte[] text = new byte[in.readInt()];
            in.readFully(text);
            return new Unstored(record.sequence(), LeaseRecordCodec.decode(change), since,
                    new String(text, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("unstored lease change " + record.sequence() + " unreadable", e);
        }
    }
}
