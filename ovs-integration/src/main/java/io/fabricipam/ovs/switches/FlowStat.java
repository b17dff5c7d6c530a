package io.fabricipam.ovs.switches;

/**
 * One of our flows as the switch counts it.
 *
 * @param text        the flow in {@code ovs-ofctl dump-flows --no-stats} form (our model's rendering when
 *                    we recognise the flow, otherwise a summary of the raw entry)
 * @param recognised  false for a flow with our cookie but a shape we never install (it will be removed)
 */
public record FlowStat(String text, long packets, long bytes, long durationSeconds, boolean recognised) {
}
