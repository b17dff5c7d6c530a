package io.fabricipam.fabric.storage.redirect;

import io.fabricipam.fabric.storage.text.SafeText;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last {@code capacity} session records, oldest first. Bounded so that a storm of logins
 * (or of junk connections that got as far as naming an initiator) cannot grow memory.
 * Thread-safe; listeners run on the recording thread and must be quick.
 */
public final class SessionLog {

    private static final Logger log = LoggerFactory.getLogger(SessionLog.class);

    private final int capacity;
    private final ArrayDeque<SessionRecord> records;
    private final List<Consumer<SessionRecord>> listeners = new CopyOnWriteArrayList<>();
    private long total;

    public SessionLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.records = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    public void record(SessionRecord record) {
        synchronized (records) {
            if (records.size() == capacity) {
                records.removeFirst();
            }
            records.addLast(record);
            total++;
        }
        // Initiator names, session types and target names come off the network: escaped, one line per record.
        if (record.initiatorName() == null) {
            log.info("iSCSI {} {}: {}", record.outcome(), SafeText.log(record.targetAddress()),
                    SafeText.log(record.reason()));
        } else {
            log.info("iSCSI {} {} from {} ({}): {}{}", SafeText.log(record.sessionType()), record.outcome(),
                    SafeText.log(record.initiatorName()), SafeText.log(record.client()),
                    record.targetAddress() == null ? "" : "-> " + SafeText.log(record.targetAddress()) + ": ",
                    SafeText.log(record.reason()));
        }
        for (Consumer<SessionRecord> listener : listeners) {
            listener.accept(record);
        }
    }

    public List<SessionRecord> recent() {
        synchronized (records) {
            return List.copyOf(new ArrayList<>(records));
        }
    }

    /** Records ever made, including those that fell out of the window. */
    public long total() {
        synchronized (records) {
            return total;
        }
    }

    public void addListener(Consumer<SessionRecord> listener) {
        listeners.add(listener);
    }
}
