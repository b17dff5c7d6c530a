package io.fabricipam.ovs.flow;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Deterministic text for flows, in the vocabulary and field order of
 * {@code ovs-ofctl -O OpenFlow13 dump-flows --no-stats} (without its leading space), so a golden test,
 * a log line and the switch's own dump can be compared line by line.
 */
public final class FlowText {

    /** Table, then priority from high to low, then in_port, then VLAN, then the rest of the text. */
    public static final Comparator<FlowSpec> ORDER = Comparator
            .comparingInt(FlowSpec::table)
            .thenComparing(Comparator.comparingInt(FlowSpec::priority).reversed())
            .thenComparingInt(f -> f.match().inPort())
            .thenComparingInt(f -> f.match().vlan().order())
            .thenComparing(FlowText::render);

    private FlowText() {
    }

    public static String render(FlowSpec flow) {
        StringBuilder s = new StringBuilder(160);
        s.append("cookie=0x").append(Long.toHexString(flow.cookie())).append(", ");
        if (flow.table() != 0) {
            s.append("table=").append(flow.table()).append(", ");
        }
        if (flow.idleTimeout() != 0) {
            s.append("idle_timeout=").append(flow.idleTimeout()).append(", ");
        }
        if (flow.hardTimeout() != 0) {
            s.append("hard_timeout=").append(flow.hardTimeout()).append(", ");
        }
        s.append("priority=").append(flow.priority());
        String match = flow.match().toOfctlText();
        if (!match.isEmpty()) {
            s.append(',').append(match);
        }
        s.append(" actions=");
        String actions = flow.actions().stream().map(FlowAction::toOfctlText).collect(Collectors.joining(","));
        if (flow.meterId() != FlowSpec.NO_METER) {
            s.append("meter:").append(flow.meterId()).append(actions.isEmpty() ? "" : ",");
        } else if (actions.isEmpty()) {
            actions = "drop";
        }
        return s.append(actions).toString();
    }

    /** One line per flow, sorted by {@link #ORDER}. */
    public static String render(Collection<FlowSpec> flows) {
        List<FlowSpec> sorted = flows.stream().sorted(ORDER).toList();
        return sorted.stream().map(FlowText::render).collect(Collectors.joining("\n"));
    }
}
