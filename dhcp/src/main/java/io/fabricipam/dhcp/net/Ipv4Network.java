package io.fabricipam.dhcp.net;

/** An IPv4 network in CIDR form. The address is always the network address (host bits zero). */
public record Ipv4Network(Ipv4Address address, int prefixLength) {

    public Ipv4Network {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32, not " + prefixLength);
        }
        if ((address.value() & ~maskValue(prefixLength)) != 0) {
            throw new IllegalArgumentException("host bits are set in " + address + "/" + prefixLength
                    + " (the network address is " + new Ipv4Address(address.value() & maskValue(prefixLength))
                    + "/" + prefixLength + ")");
        }
    }

    /** Parses {@code a.b.c.d/len}; host bits must be zero, so that a typo is an error, not a different network. */
    public static Ipv4Network parse(String cidr) {
        if (cidr == null) {
            throw new IllegalArgumentException("a network in CIDR form (a.b.c.d/len) is required");
        }
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR network (a.b.c.d/len): '" + cidr + "'");
        }
        Ipv4Address address = Ipv4Address.parse(cidr.substring(0, slash));
        String len = cidr.substring(slash + 1);
        if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not a CIDR prefix length: '" + cidr + "'");
        }
        return new Ipv4Network(address, Integer.parseInt(len));
    }

    /** The network that contains {@code address} with the given prefix (host bits cleared). */
    public static Ipv4Network containing(Ipv4Address address, int prefixLength) {
        return new Ipv4Network(new Ipv4Address(address.value() & maskValue(prefixLength)), prefixLength);
    }

    private static int maskValue(int prefixLength) {
        return prefixLength == 0 ? 0 : 0xffffffff << (32 - prefixLength);
    }

    public Ipv4Address mask() {
        return new Ipv4Address(maskValue(prefixLength));
    }

    public Ipv4Address broadcast() {
        return new Ipv4Address(address.value() | ~maskValue(prefixLength));
    }

    /** Number of addresses in the network, including the network and broadcast addresses. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    public boolean contains(Ipv4Address candidate) {
        return (candidate.value() & maskValue(prefixLength)) == address.value();
    }

    public boolean contains(AddressRange range) {
        return contains(range.start()) && contains(range.end());
    }

    public boolean overlaps(Ipv4Network other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return ((address.value() ^ other.address.value()) & maskValue(shorter)) == 0;
    }

    /** True for the addresses a host may use: not the network or broadcast address (except in /31 and /32). */
    public boolean isHostAddress(Ipv4Address candidate) {
        if (!contains(candidate)) {
            return false;
        }
        if (prefixLength >= 31) {
            return true;
        }
        return !candidate.equals(address) && !candidate.equals(broadcast());
    }

    /** Position of {@code candidate} inside the network, 0 for the network address. */
    public int offsetOf(Ipv4Address candidate) {
        if (!contains(candidate)) {
            throw new IllegalArgumentException(candidate + " is not in " + this);
        }
        return candidate.value() - address.value();
    }

    public Ipv4Address addressAt(long offset) {
        if (offset < 0 || offset >= size()) {
            throw new IllegalArgumentException("offset " + offset + " is outside " + this);
        }
        return new Ipv4Address((int) (address.unsigned() + offset));
    }

    public AddressRange asRange() {
        return new AddressRange(address, broadcast());
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
