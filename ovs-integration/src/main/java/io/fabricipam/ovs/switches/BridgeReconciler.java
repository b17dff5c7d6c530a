package io.fabricipam.ovs.switches;

import io.fabricipam.ovs.channel.OfRequestException;
import io.fabricipam.ovs.channel.SwitchConnection;
import io.fabricipam.ovs.flow.FlowDiff;
import io.fabricipam.ovs.flow.FlowSpec;
import io.fabricipam.ovs.flow.MeterDiff;
import io.fabricipam.ovs.flow.MeterSpec;
import io.fabricipam.ovs.flow.OfFlowMods;
import io.fabricipam.ovs.pipeline.BridgePort;
import io.fabricipam.ovs.pipeline.Pipeline;
import io.fabricipam.ovs.pipeline.PuntFlows;
import io.fabricipam.ovs.pipeline.TunnelFlows;
import io.fabricipam.ovs.pipeline.TunnelRouting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterConfig;
import org.projectfloodlight.openflow.protocol.OFMeterConfigStatsReply;
import org.projectfloodlight.openflow.protocol.OFMeterFeaturesStatsReply;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBand;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBandDrop;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one switch's flows and meters to the intended pipeline and remembers what it installed, across
 * reconnects of the same datapath. Runs only on the switch's flow thread (the single writer of this state) and may block there waiting for
 * the switch's answers.
 *
 * <p>A full reconcile (after connecting, or after anything went wrong) first reads back what the switch
 * holds under our cookie; an incremental one (a port or VLAN change) diffs against what we installed
 * last. Either way only the difference is sent, then a barrier; errors the switch reports for those
 * messages before the barrier reply mark the switch out of sync, and the next reconcile is a full one.
 * Order matters: meters before the flows that use them, stale flows deleted before their meters (deleting
 * a meter deletes its flows, which must not hit a flow we keep).
 */
final class BridgeReconciler {

    private static final Logger log = LoggerFactory.getLogger(BridgeReconciler.class);
    private static final long ALL_METERS = 0xffff_ffffL;

    private final PipelineContext context;
    private SwitchConnection connection;
    private final ConcurrentLinkedQueue<OFErrorMsg> errors = new ConcurrentLinkedQueue<>();
    private Set<FlowSpec> installedFlows = Set.of();
    private Map<Long, MeterSpec> installedMeters = Map.of();
    private final Set<Long> ownedMeters = new HashSet<>();
    private boolean inSync;
    private Long maxMeterId;
    private List<String> lastRefusals = List.of();

    BridgeReconciler(PipelineContext context) {
        this.context = context;
    }

    /**
     * A new connection to the same datapath: what it can do (meters) is asked again and the next
     * reconcile reads the switch's state back. Meter ownership is kept: it is what lets us remove the
     * meter of a port deleted while we were away.
     */
    void attach(SwitchConnection next) {
        this.connection = next;
        this.maxMeterId = null;
        this.inSync = false;
    }

    /** An unsolicited ERROR from the switch (I/O thread); examined after the next barrier. */
    void error(OFErrorMsg error) {
        errors.add(error);
    }

    /** The highest meter id the switch accepts; 0 when it has no meters or we do not use them. */
    long maxMeterId() throws ReconcileException {
        if (maxMeterId == null) {
            if (!context.metersEnabled) {
                maxMeterId = 0L;
            } else {
                List<OFMeterFeaturesStatsReply> replies =
                        await(connection.multipart(OfFlowMods.factory().buildMeterFeaturesStatsRequest().build()));
                maxMeterId = replies.isEmpty() ? 0L : replies.get(0).getFeatures().getMaxMeter();
                if (maxMeterId == 0) {
                    log.warn("{}: no OpenFlow meters; punted DHCP goes unlimited", connection);
                }
            }
        }
        return maxMeterId;
    }

    /**
     * @return whether the switch now holds the intended pipeline for {@code ports}
     */
    boolean reconcile(List<BridgePort> ports, boolean full) throws ReconcileException {
        TunnelRouting tunnel = context.tunnel();
        Pipeline pipeline = tunnel == null
                ? PuntFlows.build(ports, context.managedVlans(), context.serverAddresses(), context.policy)
                : TunnelFlows.build(ports, context.managedVlans(), context.serverAddresses(), context.policy, tunnel.on(ports));
        if (!pipeline.refusals().equals(lastRefusals)) {
            pipeline.refusals().forEach(r -> log.warn("{}: no DHCP flows for port {}", connection, r));
            lastRefusals = pipeline.refusals();
        }
        Set<FlowSpec> haveFlows = installedFlows;
        Map<Long, MeterSpec> haveMeters = installedMeters;
        List<OFFlowStatsEntry> foreignShaped = List.of();
        if (full || !inSync) {
            ReadBack state = readBack();
            haveFlows = state.flows;
            haveMeters = state.meters;
            foreignShaped = state.foreignShaped;
            haveFlows.stream().filter(f -> f.meterId() != FlowSpec.NO_METER).forEach(f -> ownedMeters.add(f.meterId()));
        }
        FlowDiff flows = FlowDiff.between(haveFlows, pipeline.flows());
        MeterDiff meters = MeterDiff.between(haveMeters, ownedMeters, pipeline.meters());

        List<OFMessage> messages = new ArrayList<>();
        meters.toAdd().forEach(m -> messages.add(OfFlowMods.meterMod(OFMeterModCommand.ADD, m)));
        meters.toModify().forEach(m -> messages.add(OfFlowMods.meterMod(OFMeterModCommand.MODIFY, m)));
        flows.toDelete().forEach(f -> messages.add(OfFlowMods.deleteStrict(f, context.policy.cookie())));
        foreignShaped.forEach(e -> messages.add(deleteStrict(e)));
        flows.toAdd().forEach(f -> messages.add(OfFlowMods.add(f)));
        meters.toDelete().forEach(id -> messages.add(OfFlowMods.meterDelete(id)));

        if (!messages.isEmpty()) {
            errors.clear();
            long[] xids = connection.sendAll(messages);
            await(connection.barrier());
            Set<Long> sent = new HashSet<>();
            for (long xid : xids) {
                sent.add(xid);
            }
            boolean failed = false;
            for (OFErrorMsg error; (error = errors.poll()) != null; ) {
                if (sent.contains(error.getXid())) {
                    log.warn("{}: switch refused a flow/meter change: {}", connection, error);
                    failed = true;
                }
            }
            if (failed) {
                inSync = false;
                return false;
            }
            log.info("{}: flows {} , meters +{} ~{} -{}{}", connection, flows, meters.toAdd().size(),
                    meters.toModify().size(), meters.toDelete().size(), foreignShaped.isEmpty() ? ""
                            : ", removed " + foreignShaped.size() + " unrecognised flows with our cookie");
        }
        installedFlows = Set.copyOf(pipeline.flows());
        Map<Long, MeterSpec> nowMeters = new HashMap<>();
        pipeline.meters().forEach(m -> nowMeters.put(m.meterId(), m));
        installedMeters = nowMeters;
        ownedMeters.removeAll(meters.toDelete());
        ownedMeters.addAll(nowMeters.keySet());
        inSync = true;
        return true;
    }

    /** Called when a reconcile could not finish: the next one starts from what the switch says. */
    void outOfSync() {
        inSync = false;
    }

    private record ReadBack(Set<FlowSpec> flows, Map<Long, MeterSpec> meters, List<OFFlowStatsEntry> foreignShaped) {
    }

    private ReadBack readBack() throws ReconcileException {
        Set<FlowSpec> flows = new HashSet<>();
        List<OFFlowStatsEntry> foreign = new ArrayList<>();
        for (OFFlowStatsReply reply : await(connection.multipart(OfFlowMods.statsRequest(context.policy.cookie())))) {
            for (OFFlowStatsEntry entry : reply.getEntries()) {
                OfFlowMods.read(entry).ifPresentOrElse(flows::add, () -> foreign.add(entry));
            }
        }
        Map<Long, MeterSpec> meters = new HashMap<>();
        if (maxMeterId() > 0) {
            List<OFMeterConfigStatsReply> replies = await(connection.multipart(
                    OfFlowMods.factory().buildMeterConfigStatsRequest().setMeterId(ALL_METERS).build()));
            for (OFMeterConfigStatsReply reply : replies) {
                for (OFMeterConfig config : reply.getEntries()) {
                    // a meter of another shape still occupies its id: null makes the diff modify it if we want it
                    meters.put(config.getMeterId(), readMeter(config));
                }
            }
        }
        return new ReadBack(flows, meters, foreign);
    }

    private static MeterSpec readMeter(OFMeterConfig config) {
        List<OFMeterBand> bands = config.getEntries();
        if (!config.getFlags().contains(OFMeterFlags.PKTPS) || !config.getFlags().contains(OFMeterFlags.BURST)
                || bands.size() != 1 || !(bands.get(0) instanceof OFMeterBandDrop drop)) {
            return null;
        }
        try {
            return new MeterSpec(config.getMeterId(), drop.getRate(), drop.getBurstSize());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private OFMessage deleteStrict(OFFlowStatsEntry entry) {
        return OfFlowMods.factory().buildFlowDeleteStrict()
                .setTableId(entry.getTableId())
                .setPriority(entry.getPriority())
                .setMatch(entry.getMatch())
                .setCookie(U64.of(context.policy.cookie().value()))
                .setCookieMask(U64.of(context.policy.cookie().mask()))
                .setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY)
                .build();
    }

    private <T> T await(CompletableFuture<T> future) throws ReconcileException {
        try {
            // the connection times requests out itself; this bound only guards against a lost completion
            return future.get(context.requestTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReconcileException("interrupted");
        } catch (ExecutionException e) {
            throw new ReconcileException(e.getCause() instanceof OfRequestException ? e.getCause().getMessage() : e.getCause().toString());
        } catch (TimeoutException e) {
            throw new ReconcileException("no answer");
        }
    }

    /** A reconcile that could not finish (no answer, connection gone, a request refused). */
    static final class ReconcileException extends Exception {
        ReconcileException(String message) {
            super(message, null, false, false);
        }
    }
}
