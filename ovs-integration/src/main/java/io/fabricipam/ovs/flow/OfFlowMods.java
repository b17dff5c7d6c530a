package io.fabricipam.ovs.flow;

import io.fabricipam.ovs.frame.MacAddress;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFMatchV3;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMeterMod;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionMeter;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmTunnelId;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmTunnelIpv4Dst;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * Our flow model to and from openflowj's OpenFlow 1.3 messages. Reading back ({@link #read}) understands
 * exactly the vocabulary we write and answers empty for anything else, so a flow carrying our cookie but
 * of a shape we never produce is treated as stale and removed.
 */
public final class OfFlowMods {

    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

    private OfFlowMods() {
    }

    public static OFFactory factory() {
        return OF13;
    }

    public static OFFlowAdd add(FlowSpec flow) {
        return OF13.buildFlowAdd()
                .setTableId(TableId.of(flow.table()))
                .setPriority(flow.priority())
                .setCookie(U64.of(flow.cookie()))
                .setMatch(match(flow.match()))
                .setInstructions(instructions(flow))
                .setIdleTimeout(flow.idleTimeout())
                .setHardTimeout(flow.hardTimeout())
                .setBufferId(org.projectfloodlight.openflow.types.OFBufferId.NO_BUFFER)
                .build();
    }

    /** Removes exactly this flow (table, priority, match), and only if it carries a cookie we own. */
    public static OFFlowDeleteStrict deleteStrict(FlowSpec flow, FlowCookie owner) {
        return OF13.buildFlowDeleteStrict()
                .setTableId(TableId.of(flow.table()))
                .setPriority(flow.priority())
                .setCookie(U64.of(owner.value()))
                .setCookieMask(U64.of(owner.mask()))
                .setMatch(match(flow.match()))
                .setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY)
                .build();
    }

    /** Removes every flow of ours in every table, and nobody else's. */
    public static OFFlowDelete deleteAllOwned(FlowCookie owner) {
        return OF13.buildFlowDelete()
                .setTableId(TableId.ALL)
                .setCookie(U64.of(owner.value()))
                .setCookieMask(U64.of(owner.mask()))
                .setMatch(OF13.buildMatch().build())
                .setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY)
                .build();
    }

    /** Asks for the statistics of every flow of ours, in every table. */
    public static OFFlowStatsRequest statsRequest(FlowCookie owner) {
        return OF13.buildFlowStatsRequest()
                .setTableId(TableId.ALL)
                .setCookie(U64.of(owner.value()))
                .setCookieMask(U64.of(owner.mask()))
                .setMatch(OF13.buildMatch().build())
                .setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY)
                .build();
    }

    public static OFMeterMod meterMod(OFMeterModCommand command, MeterSpec meter) {
        return OF13.buildMeterMod()
                .setCommand(command)
                .setMeterId(meter.meterId())
                .setFlags(EnumSet.of(OFMeterFlags.PKTPS, OFMeterFlags.BURST, OFMeterFlags.STATS))
                .setMeters(List.of(OF13.meterBands().drop(meter.ratePps(), meter.burst())))
                .build();
    }

    public static OFMeterMod meterDelete(long meterId) {
        return OF13.buildMeterMod()
                .setCommand(OFMeterModCommand.DELETE)
                .setMeterId(meterId)
                .setFlags(EnumSet.noneOf(OFMeterFlags.class))
                .setMeters(List.of())
                .build();
    }

    public static Match match(FlowMatch m) {
        Match.Builder b = OF13.buildMatch();
        if (m.inPort() != FlowMatch.ANY_PORT) {
            b.setExact(MatchField.IN_PORT, OFPort.of(m.inPort()));
        }
        if (m.vlan().isUntagged()) {
            b.setExact(MatchField.VLAN_VID, OFVlanVidMatch.UNTAGGED);
        } else if (!m.vlan().isAny()) {
            b.setExact(MatchField.VLAN_VID, OFVlanVidMatch.ofVlan(m.vlan().vlanId()));
        }
        if (m.ethSrc() != null) {
            b.setExact(MatchField.ETH_SRC, org.projectfloodlight.openflow.types.MacAddress.of(m.ethSrc().bits()));
        }
        if (m.protocol() == FlowProtocol.ARP) {
            b.setExact(MatchField.ETH_TYPE, EthType.ARP);
        } else if (m.protocol() != FlowProtocol.ANY) {
            b.setExact(MatchField.ETH_TYPE, EthType.IPv4);
        }
        if (m.protocol() == FlowProtocol.UDP) {
            b.setExact(MatchField.IP_PROTO, IpProtocol.UDP);
        }
        if (m.udpSrc() != FlowMatch.ANY_PORT) {
            b.setExact(MatchField.UDP_SRC, TransportPort.of(m.udpSrc()));
        }
        if (m.udpDst() != FlowMatch.ANY_PORT) {
            b.setExact(MatchField.UDP_DST, TransportPort.of(m.udpDst()));
        }
        if (m.arpOp() != FlowMatch.ANY_PORT) {
            b.setExact(MatchField.ARP_OP, ArpOpcode.of(m.arpOp()));
        }
        if (m.arpTpa() != null) {
            b.setExact(MatchField.ARP_TPA, IPv4Address.of(m.arpTpa()));
        }
        if (m.tunId() != FlowMatch.ANY_TUN_ID) {
            b.setExact(MatchField.TUNNEL_ID, U64.of(m.tunId()));
        }
        if (m.tunSrc() != null) {
            // a Nicira NXM field on the wire (no standard OXM for tun_src)
            b.setExact(MatchField.TUNNEL_IPV4_SRC, IPv4Address.of(m.tunSrc()));
        }
        return b.build();
    }

    private static List<OFInstruction> instructions(FlowSpec flow) {
        List<OFInstruction> instructions = new ArrayList<>(2);
        if (flow.meterId() != FlowSpec.NO_METER) {
            instructions.add(OF13.instructions().meter(flow.meterId()));
        }
        List<OFAction> actions = new ArrayList<>(flow.actions().size());
        for (FlowAction action : flow.actions()) {
            actions.add(action(action));
        }
        if (!actions.isEmpty()) {
            instructions.add(OF13.instructions().applyActions(actions));
        }
        return instructions;
    }

    /** One action of ours as openflowj's OpenFlow 1.3 action. */
    public static OFAction action(FlowAction action) {
        if (action instanceof FlowAction.Output o) {
            return OF13.actions().output(OFPort.of(o.port()), 0);
        } else if (action instanceof FlowAction.Controller c) {
            return OF13.actions().output(OFPort.CONTROLLER, c.maxLen());
        } else if (action instanceof FlowAction.SetTunnelDestination d) {
            return OF13.actions().setField(OF13.oxms().tunnelIpv4Dst(IPv4Address.of(d.address())));
        } else if (action instanceof FlowAction.SetTunnelId t) {
            return OF13.actions().setField(OF13.oxms().tunnelId(U64.of(t.id())));
        }
        return OF13.actions().output(OFPort.NORMAL, 0);
    }

    /** Reads an action back; empty when it is of a kind we never write. */
    static Optional<FlowAction> readAction(OFAction action) {
        if (action instanceof OFActionSetField set) {
            OFOxm<?> field = set.getField();
            if (field instanceof OFOxmTunnelIpv4Dst dst && !dst.isMasked()) {
                return Optional.of(new FlowAction.SetTunnelDestination((Inet4Address) dst.getValue().toInetAddress()));
            }
            if (field instanceof OFOxmTunnelId id && !id.isMasked() && id.getValue().getValue() >= 0
                    && id.getValue().getValue() <= FlowMatch.MAX_TUN_ID) {
                return Optional.of(new FlowAction.SetTunnelId(id.getValue().getValue()));
            }
            return Optional.empty();
        }
        if (!(action instanceof OFActionOutput out)) {
            return Optional.empty();
        }
        OFPort port = out.getPort();
        if (port.equals(OFPort.CONTROLLER)) {
            return Optional.of(new FlowAction.Controller(out.getMaxLen()));
        } else if (port.equals(OFPort.NORMAL)) {
            return Optional.of(new FlowAction.Normal());
        } else if (port.getPortNumber() > 0 && port.getPortNumber() < 0xff00) {
            return Optional.of(new FlowAction.Output(port.getPortNumber()));
        }
        return Optional.empty();
    }

    /** Reads a flow-stats entry back into our model; empty when it uses anything we never write. */
    public static Optional<FlowSpec> read(OFFlowStatsEntry entry) {
        Optional<FlowMatch> match = readMatch(entry.getMatch());
        if (match.isEmpty()) {
            return Optional.empty();
        }
        long meter = FlowSpec.NO_METER;
        List<FlowAction> actions = new ArrayList<>();
        for (OFInstruction instruction : entry.getInstructions()) {
            if (instruction instanceof OFInstructionMeter m) {
                meter = m.getMeterId();
            } else if (instruction instanceof OFInstructionApplyActions apply) {
                for (OFAction action : apply.getActions()) {
                    Optional<FlowAction> read = readAction(action);
                    if (read.isEmpty()) {
                        return Optional.empty();
                    }
                    actions.add(read.get());
                }
            } else {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(new FlowSpec(entry.getTableId().getValue(), entry.getPriority(), entry.getCookie().getValue(),
                    match.get(), meter, actions, entry.getIdleTimeout(), entry.getHardTimeout()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Optional<FlowMatch> readMatch(Match match) {
        int inPort = FlowMatch.ANY_PORT;
        VlanMatch vlan = VlanMatch.ANY;
        MacAddress ethSrc = null;
        boolean ipv4 = false;
        boolean arp = false;
        boolean udp = false;
        int udpSrc = FlowMatch.ANY_PORT;
        int udpDst = FlowMatch.ANY_PORT;
        int arpOp = FlowMatch.ANY_PORT;
        Inet4Address arpTpa = null;
        long tunId = FlowMatch.ANY_TUN_ID;
        Inet4Address tunSrc = null;
        for (MatchField<?> field : match.getMatchFields()) {
            if (!match.isExact(field)) {
                return Optional.empty();
            }
            switch (field.id) {
                case IN_PORT -> inPort = match.get(MatchField.IN_PORT).getPortNumber();
                case VLAN_VID -> {
                    OFVlanVidMatch vid = match.get(MatchField.VLAN_VID);
                    vlan = vid.equals(OFVlanVidMatch.UNTAGGED) ? VlanMatch.UNTAGGED : VlanMatch.tagged(vid.getVlan());
                }
                case ETH_SRC -> ethSrc = new MacAddress(match.get(MatchField.ETH_SRC).getLong());
                case ETH_TYPE -> {
                    EthType type = match.get(MatchField.ETH_TYPE);
                    if (type.equals(EthType.IPv4)) {
                        ipv4 = true;
                    } else if (type.equals(EthType.ARP)) {
                        arp = true;
                    } else {
                        return Optional.empty();
                    }
                }
                case IP_PROTO -> {
                    if (!match.get(MatchField.IP_PROTO).equals(IpProtocol.UDP)) {
                        return Optional.empty();
                    }
                    udp = true;
                }
                case UDP_SRC -> udpSrc = match.get(MatchField.UDP_SRC).getPort();
                case UDP_DST -> udpDst = match.get(MatchField.UDP_DST).getPort();
                case ARP_OP -> arpOp = match.get(MatchField.ARP_OP).getOpcode();
                case ARP_TPA -> arpTpa = (Inet4Address) match.get(MatchField.ARP_TPA).toInetAddress();
                case TUNNEL_ID -> tunId = oxmValue(match, MatchField.TUNNEL_ID).getValue();
                case TUNNEL_IPV4_SRC -> tunSrc = (Inet4Address) oxmValue(match, MatchField.TUNNEL_IPV4_SRC).toInetAddress();
                default -> {
                    return Optional.empty();
                }
            }
        }
        if (udp && !ipv4) {
            return Optional.empty();
        }
        FlowProtocol protocol = arp ? FlowProtocol.ARP : udp ? FlowProtocol.UDP : ipv4 ? FlowProtocol.IPV4 : FlowProtocol.ANY;
        try {
            return Optional.of(new FlowMatch(inPort, vlan, protocol, ethSrc, udpSrc, udpDst, arpOp, arpTpa, tunId, tunSrc));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * A field's value straight from the OXM list. {@code Match.get} answers null for a field whose
     * prerequisites are missing, and openflowj declares eth_type=IPv4 as one for the tunnel addresses,
     * which are metadata and need none (OVS sends them without eth_type in packet-ins).
     */
    static <F extends org.projectfloodlight.openflow.types.OFValueType<F>> F oxmValue(Match match, MatchField<F> field) {
        OFOxm<F> oxm = ((OFMatchV3) match).getOxmList().get(field);
        return oxm == null ? null : oxm.getValue();
    }
}
