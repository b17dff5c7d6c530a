package io.fabricipam.ovs.flow;

/**
 * What a flow requires of a frame's 802.1Q tag: nothing ({@link #ANY}), no tag ({@link #UNTAGGED}), or a
 * tag with a given VLAN id. An access port only ever passes untagged frames to the bridge's NORMAL
 * processing, so a flow for an access port's network must say {@code UNTAGGED} to see the same frames.
 */
public record VlanMatch(int value) {

    private static final int ANY_VALUE = -2;
    private static final int UNTAGGED_VALUE = -1;

    public static final VlanMatch ANY = new VlanMatch(ANY_VALUE);
    public static final VlanMatch UNTAGGED = new VlanMatch(UNTAGGED_VALUE);

    public VlanMatch {
        if (value < ANY_VALUE || value > 4094) {
            throw new IllegalArgumentException("VLAN id out of range: " + value);
        }
    }

    public static VlanMatch tagged(int vlanId) {
        if (vlanId < 0) {
            throw new IllegalArgumentException("VLAN id out of range: " + vlanId);
        }
        return new VlanMatch(vlanId);
    }

    public boolean isAny() {
        return value == ANY_VALUE;
    }

    public boolean isUntagged() {
        return value == UNTAGGED_VALUE;
    }

    /** The VLAN id of a tagged match; only meaningful when neither {@link #isAny()} nor {@link #isUntagged()}. */
    public int vlanId() {
        if (value < 0) {
            throw new IllegalStateException("not a tagged match: " + this);
        }
        return value;
    }

    /** Sort order: any, then untagged, then by VLAN id. */
    int order() {
        return value;
    }

    @Override
    public String toString() {
        return isAny() ? "any" : isUntagged() ? "untagged" : "vlan " + value;
    }
}
