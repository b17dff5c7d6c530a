package io.fabricipam.dhcp.net;

/** An inclusive range of IPv4 addresses, such as a pool or an exclusion. */
public record AddressRange(Ipv4Address start, Ipv4Address end) {

    public AddressRange {
        if (start == null || end == null) {
            throw new IllegalArgumentException("a range needs a start and an end");
        }
        if (start.compareTo(end) > 0) {
            throw new IllegalArgumentException("range start " + start + " is after its end " + end);
        }
    }

    public static AddressRange of(String start, String end) {
        return new AddressRange(Ipv4Address.parse(start), Ipv4Address.parse(end));
    }

    public static AddressRange single(Ipv4Address address) {
        return new AddressRange(address, address);
    }

    public long size() {
        return end.unsigned() - start.unsigned() + 1;
    }

    public boolean contains(Ipv4Address address) {
        return start.compareTo(address) <= 0 && address.compareTo(end) <= 0;
    }

    public boolean contains(AddressRange other) {
        return contains(other.start) && contains(other.end);
    }

    public boolean overlaps(AddressRange other) {
        return start.compareTo(other.end) <= 0 && other.start.compareTo(end) <= 0;
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
