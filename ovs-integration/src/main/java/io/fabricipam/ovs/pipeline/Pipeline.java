package io.fabricipam.ovs.pipeline;

import io.fabricipam.ovs.flow.FlowSpec;
import io.fabricipam.ovs.flow.FlowText;
import io.fabricipam.ovs.flow.MeterSpec;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What one bridge should hold: meters, flows, and the ports left out because their configuration made
 * no sense (those install nothing and are reported once by the caller, not guessed at).
 */
public record Pipeline(List<MeterSpec> meters, List<FlowSpec> flows, List<String> refusals) {

    public Pipeline {
        meters = meters.stream().sorted(Comparator.comparingLong(MeterSpec::meterId)).toList();
        flows = flows.stream().sorted(FlowText.ORDER).toList();
        refusals = List.copyOf(refusals);
    }

    /** Meters first, then flows, one per line, deterministic: the golden form. */
    public String text() {
        return Stream.concat(meters.stream().map(MeterSpec::toOfctlText), flows.stream().map(FlowText::render))
                .collect(Collectors.joining("\n"));
    }
}
