package io.fabricipam.dhcp.codec;

/**
 * Walks the options area of a BOOTP message with strict bounds. dhcp4java silently shortens an option
 * whose length runs past the end of the packet and keeps only the last instance of a repeated option;
 * this scanner rejects the first and concatenates the second (RFC 3396), and reads the {@code file} and
 * {@code sname} fields when option 52 says they carry options (RFC 2132 §9.3).
 */
final class OptionScanner {

    static final int FIXED_HEADER_LENGTH = 236;
    static final int MAGIC_COOKIE_LENGTH = 4;
    private static final int SNAME_OFFSET = 44;
    private static final int SNAME_LENGTH = 64;
    private static final int FILE_OFFSET = 108;
    private static final int FILE_LENGTH = 128;

    private OptionScanner() {
    }

    /** Scans the options of the message {@code buf[offset..offset+length)} whose cookie is already checked. */
    static DhcpOptions scan(byte[] buf, int offset, int length) throws MalformedPacketException {
        DhcpOptions.Builder options = DhcpOptions.builder();
        int start = offset + FIXED_HEADER_LENGTH + MAGIC_COOKIE_LENGTH;
        scanArea(buf, start, offset + length, options, true);
        byte[] overload = options.build().getShared(DhcpOptionCode.OPTION_OVERLOAD);
        if (overload != null) {
            if (overload.length != 1 || overload[0] < 1 || overload[0] > 3) {
                throw new MalformedPacketException(DropReason.BAD_OPTION_VALUE, "option 52 must be one byte 1..3");
            }
            // RFC 3396 aggregate order: options field, then file, then sname
            if ((overload[0] & 1) != 0) {
                scanArea(buf, offset + FILE_OFFSET, offset + FILE_OFFSET + FILE_LENGTH, options, false);
            }
            if ((overload[0] & 2) != 0) {
                scanArea(buf, offset + SNAME_OFFSET, offset + SNAME_OFFSET + SNAME_LENGTH, options, false);
            }
        }
        return options.build();
    }

    private static void scanArea(byte[] buf, int pos, int end, DhcpOptions.Builder options, boolean mainArea)
            throws MalformedPacketException {
        while (pos < end) {
            int code = buf[pos] & 0xff;
            if (code == DhcpOptionCode.PAD) {
                pos++;
                continue;
            }
            if (code == DhcpOptionCode.END) {
                return;
            }
            if (pos + 1 >= end) {
                throw new MalformedPacketException(DropReason.OPTION_OVERRUN,
                        "option " + code + " has no length byte before the end of the packet");
            }
            int len = buf[pos + 1] & 0xff;
            if (pos + 2 + len > end) {
                throw new MalformedPacketException(DropReason.OPTION_OVERRUN,
                        "option " + code + " claims " + len + " bytes but only " + (end - pos - 2) + " remain");
            }
            if (code == DhcpOptionCode.OPTION_OVERLOAD && !mainArea) {
                throw new MalformedPacketException(DropReason.BAD_OPTION_VALUE, "option 52 inside an overloaded field");
            }
            options.append(code, buf, pos + 2, len);
            pos += 2 + len;
        }
        // A missing END is tolerated (several embedded clients omit it); an overrun is not.
    }
}
