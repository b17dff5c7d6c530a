package io.fabricipam.dhcp.codec;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.dhcp4java.DHCPPacket;

/** Reading DHCP bytes in tests without the codec under test. */
final class Wire {

    private Wire() {
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** Option codes in the order plain dhcp4java read them. */
    static List<Integer> codes(DHCPPacket packet) {
        return packet.getOptionsCollection().stream().map(o -> (int) o.getCode() & 0xff).toList();
    }

    /** {code, offset, length} of each option instance in the options field, up to END. */
    static List<int[]> instances(byte[] bytes) {
        List<int[]> out = new ArrayList<>();
        int i = 240;
        while (i < bytes.length && (bytes[i] & 0xff) != 255) {
            if (bytes[i] == 0) {
                i++;
                continue;
            }
            int len = bytes[i + 1] & 0xff;
            out.add(new int[] {bytes[i] & 0xff, i, len});
            i += 2 + len;
        }
        return out;
    }
}
