package io.fabricipam.ovs.frame;

/** The RFC 1071 ones'-complement sum used by the IPv4 header and UDP checksums. */
final class InternetChecksum {

    private InternetChecksum() {
    }

    /** Adds {@code length} bytes at {@code offset} as big-endian 16-bit words to {@code sum} (an odd tail is padded). */
    static long add(long sum, byte[] data, int offset, int length) {
        int i = offset;
        int end = offset + length;
        for (; i + 1 < end; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (data[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds the carries and complements: the value that goes into the header. */
    static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
