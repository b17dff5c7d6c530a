package io.fabricipam.ovs.flow;

import java.util.List;
import java.util.Objects;

/**
 * One OpenFlow 1.3 flow as we intend it: where it lives (table, priority, match), who owns it (cookie),
 * and what it does (an optional meter instruction, then apply-actions; no actions means drop).
 * Timeouts of 0 mean the flow stays until removed.
 */
public record FlowSpec(
        int table,
        int priority,
        long cookie,
        FlowMatch match,
        long meterId,
        List<FlowAction> actions,
        int idleTimeout,
        int hardTimeout) {

    public static final long NO_METER = 0;

    public FlowSpec {
        Objects.requireNonNull(match, "match");
        actions = List.copyOf(actions);
        if (table < 0 || table > 254) {
            throw new IllegalArgumentException("table out of range: " + table);
        }
        if (priority < 0 || priority > 0xffff) {
            throw new IllegalArgumentException("priority out of range: " + priority);
        }
        if (meterId < 0 || meterId > 0xffff_0000L) {
            throw new IllegalArgumentException("meter id out of range: " + meterId);
        }
        if (idleTimeout < 0 || idleTimeout > 0xffff || hardTimeout < 0 || hardTimeout > 0xffff) {
            throw new IllegalArgumentException("timeout out of range");
        }
    }

    /** A permanent flow without meter. */
    public static FlowSpec of(int table, int priority, long cookie, FlowMatch match, List<FlowAction> actions) {
        return new FlowSpec(table, priority, cookie, match, NO_METER, actions, 0, 0);
    }

    public FlowSpec withMeter(long id) {
        return new FlowSpec(table, priority, cookie, match, id, actions, idleTimeout, hardTimeout);
    }

    public FlowSpec withTimeouts(int idle, int hard) {
        return new FlowSpec(table, priority, cookie, match, meterId, actions, idle, hard);
    }

    public FlowKey key() {
        return new FlowKey(table, priority, match);
    }

    public boolean drops() {
        return actions.isEmpty();
    }

    @Override
    public String toString() {
        return FlowText.render(this);
    }
}
