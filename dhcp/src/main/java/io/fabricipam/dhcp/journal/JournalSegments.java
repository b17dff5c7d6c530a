package io.fabricipam.dhcp.journal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The journal's files: segments named by the sequence number of their first record
 * ({@code leases-00000000000000000001.journal}), each a run of records
 * {@code [int length][int crc32c][long sequence][payload]} with consecutive sequence numbers. A record
 * cut short by a crash (kill -9 mid-write) can only be the last one of the last segment: it is cut off at
 * open. Damage anywhere else is refused, loudly, rather than silently skipped, as is a journal that does
 * not reach back to the store's position (records deleted that the store never had). Files are 0600 in a
 * 0700 directory ({@link JournalFiles}); with {@code fsync} every append is forced to disk, and so is the
 * directory entry of every new segment.
 */
final class JournalSegments implements AutoCloseable {

    /** One journal record. */
    record Record(long sequence, byte[] payload) {
    }

    /**
     * What a directory holds, before it is opened: the first sequence of its oldest segment (-1: none) and
     * whether any segment holds a record.
     */
    record Layout(long firstSequence, boolean hasRecords) {
    }

    private static final String PREFIX = "leases-";
    private static final String SUFFIX = ".journal";
    private static final int HEADER = 4 + 4 + 8;
    private static final int MAX_PAYLOAD = 1 << 20;

    private final Path dir;
    private final long segmentBytes;
    private final boolean fsync;
    private final List<Long> firsts = new ArrayList<>(); // first sequence of each segment, oldest first
    private FileChannel current;
    private long next;
    private volatile long fsyncs; // written by the writer thread only

    JournalSegments(Path dir, long segmentBytes, boolean fsync) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.fsync = fsync;
    }

    /**
     * Reads every segment, hands the records after {@code applied} to {@code replay} in order, cuts off a
     * torn last record, and opens the last segment for appending. Returns the last sequence in the journal
     * (at least {@code applied}).
     */
    long open(long applied, Consumer<Record> replay) throws IOException {
        JournalFiles.createDirectory(dir);
        List<Path> files = segmentFiles(dir);
        if (!files.isEmpty() && firstSequence(files.get(0)) > applied + 1) {
            throw new IOException("lease journal " + dir + " starts at record " + firstSequence(files.get(0))
                    + " but the store has records only up to " + applied + ": records " + (applied + 1) + " to "
                    + (firstSequence(files.get(0)) - 1) + " are in neither (a segment file was removed, or this journal"
                    + " did not feed this store)");
        }
        long last = applied;
        long expected = -1;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            long first = firstSequence(file);
            if (expected >= 0 && first != expected) {
                throw new IOException("lease journal: " + file + " starts at " + first + " but " + expected + " was next");
            }
            boolean lastSegment = i == files.size() - 1;
            long[] state = {first - 1};
            long goodLength = scan(file, lastSegment, record -> {
                if (record.sequence() != state[0] + 1) {
                    throw new IllegalStateException("lease journal: " + file + " jumps from " + state[0] + " to "
                            + record.sequence());
                }
                state[0] = record.sequence();
                if (record.sequence() > applied) {
                    replay.accept(record);
                }
            });
            if (lastSegment && goodLength < Files.size(file)) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(goodLength); // the record a crash cut short was never acknowledged
                }
            }
            firsts.add(first);
            expected = state[0] + 1;
            last = Math.max(last, state[0]);
        }
        next = last + 1;
        if (files.isEmpty() || next != expected) {
            startSegment(next); // empty journal, or the store is ahead of every segment (old ones deleted)
        } else {
            current = JournalFiles.open(files.get(files.size() - 1), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        return last;
    }

    /** The segments of {@code dir} without opening them (the directory need not exist). */
    static Layout inspect(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new Layout(-1, false);
        }
        List<Path> files = segmentFiles(dir);
        boolean records = false;
        for (Path f : files) {
            records |= Files.size(f) > 0;
        }
        return new Layout(files.isEmpty() ? -1 : firstSequence(files.get(0)), records);
    }

    private static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith(PREFIX) && p.getFileName().toString().endsWith(SUFFIX))
                    .sorted().toList();
        }
    }

    /**
     * Reads the records of {@code file} in order; returns the length of its undamaged part. With
     * {@code lastSegment} a damaged tail (a write a crash cut short) ends the scan; otherwise it is an error.
     */
    static long scan(Path file, boolean lastSegment, Consumer<Record> each) throws IOException {
        long offset = 0;
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            CRC32C crc = new CRC32C();
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return offset; // a clean end
                }
                try {
                    int check = in.readInt();
                    if (length < 8 || length - 8 > MAX_PAYLOAD) {
                        throw new IOException("bad record length " + length);
                    }
                    byte[] body = in.readNBytes(length);
                    if (body.length != length) {
                        throw new EOFException("record cut short");
                    }
                    crc.reset();
                    crc.update(body);
                    if ((int) crc.getValue() != check) {
                        throw new IOException("checksum mismatch");
                    }
                    ByteBuffer b = ByteBuffer.wrap(body);
                    long sequence = b.getLong();
                    byte[] payload = new byte[length - 8];
                    b.get(payload);
                    each.accept(new Record(sequence, payload));
                    offset += 8 + length;
                } catch (IOException damaged) {
                    if (lastSegment) {
                        return offset; // the tail a crash tore: cut it off
                    }
                    throw new IOException("lease journal " + file + " is damaged at byte " + offset + " ("
                            + damaged.getMessage() + "); it is not the last segment, so this is not a torn write", damaged);
                }
            }
        }
    }

    /** Appends records with consecutive sequence numbers from {@link #nextSequence()}; one write for them all. */
    void append(List<Record> records) throws IOException {
        for (Record r : records) {
            if (r.sequence() != next) {
                throw new IllegalArgumentException("record " + r.sequence() + " where " + next + " was next");
            }
            next++;
        }
        ByteBuffer buf = frame(records);
        while (buf.hasRemaining()) {
            current.write(buf);
        }
        if (fsync) {
            current.force(false);
            fsyncs++;
        }
        if (current.size() >= segmentBytes) {
            current.close();
            startSegment(next);
        }
    }

    /** The records as they are on disk: {@code [int length][int crc32c][long sequence][payload]} each. */
    static ByteBuffer frame(List<Record> records) {
        int size = 0;
        for (Record r : records) {
            if (r.payload().length > MAX_PAYLOAD) {
                throw new IllegalArgumentException("a journal record holds at most " + MAX_PAYLOAD + " bytes");
            }
            size += HEADER + r.payload().length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        CRC32C crc = new CRC32C();
        for (Record r : records) {
            int length = 8 + r.payload().length;
            ByteBuffer body = ByteBuffer.allocate(length).putLong(r.sequence()).put(r.payload());
            crc.reset();
            crc.update(body.array());
            buf.putInt(length).putInt((int) crc.getValue()).put(body.array());
        }
        return buf.flip();
    }

    long nextSequence() {
        return next;
    }

    /** Appends forced to disk so far (0 unless {@code fsync}). */
    long fsyncs() {
        return fsyncs;
    }

    private synchronized void startSegment(long first) throws IOException {
        Path file = dir.resolve(String.format("%s%020d%s", PREFIX, first, SUFFIX));
        current = JournalFiles.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (fsync) {
            JournalFiles.fsyncDirectory(dir); // the new segment's name must survive power loss with its records
        }
        if (firsts.isEmpty() || firsts.get(firsts.size() - 1) != first) {
            firsts.add(first);
        }
    }

    /** Deletes the segments whose every record is at or below {@code applied} (never the one being written). */
    synchronized int deleteThrough(long applied) throws IOException {
        int deleted = 0;
        while (firsts.size() > 1 && firsts.get(1) - 1 <= applied) {
            Files.deleteIfExists(dir.resolve(String.format("%s%020d%s", PREFIX, firsts.get(0), SUFFIX)));
            firsts.remove(0);
            deleted++;
        }
        return deleted;
    }

    synchronized int segmentCount() {
        return firsts.size();
    }

    private static long firstSequence(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
        }
    }
}
