package io.fabricipam.ovs.punt;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counts of the punt path, updated from I/O threads without locks; read for metrics. */
public final class PuntCounters {

    private final LongAdder handed = new LongAdder();
    private final LongAdder arpAnswered = new LongAdder();
    private final LongAdder packetOuts = new LongAdder();
    private final LongAdder packetOutsRefused = new LongAdder();
    private final Map<PuntDrop, LongAdder> drops = new EnumMap<>(PuntDrop.class);

    public PuntCounters() {
        for (PuntDrop reason : PuntDrop.values()) {
            drops.put(reason, new LongAdder());
        }
    }

    void handed() {
        handed.increment();
    }

    void arpAnswered() {
        arpAnswered.increment();
    }

    /** ARP requests for a server address of ours that we answered. */
    public long arpAnsweredCount() {
        return arpAnswered.sum();
    }

    void dropped(PuntDrop reason) {
        drops.get(reason).increment();
    }

    public void packetOut(boolean sent) {
        (sent ? packetOuts : packetOutsRefused).increment();
    }

    /** Requests handed to the application's handler. */
    public long handedCount() {
        return handed.sum();
    }

    public long dropCount(PuntDrop reason) {
        return drops.get(reason).sum();
    }

    /** Packet-outs sent, and refused because the switch was not connected. */
    public long packetOutCount() {
        return packetOuts.sum();
    }

    public long packetOutRefusedCount() {
        return packetOutsRefused.sum();
    }

    /** Every drop reason with its count (zeros included, so metrics have a stable set of series). */
    public Map<PuntDrop, Long> drops() {
        Map<PuntDrop, Long> out = new EnumMap<>(PuntDrop.class);
        drops.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
