package io.fabricipam.ovs.flow;

/**
 * A packets-per-second meter with one drop band: above {@code ratePps} (after a burst of {@code burst}
 * packets) packets are dropped. We use one per guest port in front of the controller action, so a guest
 * flooding DHCP (starvation attempts) is cut off in the datapath and cannot crowd out the other ports.
 */
public record MeterSpec(long meterId, long ratePps, long burst) {

    public MeterSpec {
        if (meterId <= 0 || meterId > 0xffff_0000L) {
            throw new IllegalArgumentException("meter id out of range: " + meterId);
        }
        if (ratePps <= 0 || ratePps > 0xffff_ffffL || burst < 0 || burst > 0xffff_ffffL) {
            throw new IllegalArgumentException("meter rate/burst out of range");
        }
    }

    /** As {@code ovs-ofctl -O OpenFlow13 dump-meters} prints it, on one line. */
    public String toOfctlText() {
        return "meter=" + meterId + " pktps burst stats bands=type=drop rate=" + ratePps + " burst_size=" + burst;
    }

    @Override
    public String toString() {
        return toOfctlText();
    }
}
