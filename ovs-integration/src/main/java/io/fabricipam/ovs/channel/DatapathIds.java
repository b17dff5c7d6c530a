package io.fabricipam.ovs.channel;

/** Datapath ids printed as OVSDB's {@code Bridge.datapath_id} shows them: 16 lower-case hex digits. */
public final class DatapathIds {

    private DatapathIds() {
    }

    public static String format(long dpid) {
        return String.format("%016x", dpid);
    }

    public static long parse(String text) {
        String hex = text.startsWith("0x") ? text.substring(2) : text.replace(":", "");
        return Long.parseUnsignedLong(hex, 16);
    }
}
