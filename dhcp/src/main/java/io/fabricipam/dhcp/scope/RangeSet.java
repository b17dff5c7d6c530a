package io.fabricipam.dhcp.scope;

import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import java.util.Arrays;
import java.util.Collection;

/**
 * A set of IPv4 addresses as sorted, disjoint, non-adjacent intervals (overlapping or touching ranges are
 * merged). Immutable. Built once in O(n log n) for n ranges; membership is a binary search, O(log n), so a
 * scope with thousands of exclusions answers "is this address excluded?" as fast as one with a few.
 */
public final class RangeSet {

    public static final RangeSet EMPTY = new RangeSet(new long[0], new long[0]);

    /** Unsigned interval bounds, inclusive; starts[i] <= ends[i] < starts[i + 1] - 1. */
    private final long[] starts;
    private final long[] ends;
    private final long size;

    private RangeSet(long[] starts, long[] ends) {
        this.starts = starts;
        this.ends = ends;
        long total = 0;
        for (int i = 0; i < starts.length; i++) {
            total += ends[i] - starts[i] + 1;
        }
        this.size = total;
    }

    public static RangeSet of(Collection<AddressRange> ranges) {
        if (ranges.isEmpty()) {
            return EMPTY;
        }
        long[][] sorted = new long[ranges.size()][];
        int n = 0;
        for (AddressRange r : ranges) {
            sorted[n++] = new long[] {r.start().unsigned(), r.end().unsigned()};
        }
        Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
        long[] starts = new long[n];
        long[] ends = new long[n];
        int k = -1;
        for (long[] r : sorted) {
            if (k >= 0 && r[0] <= ends[k] + 1) {
                ends[k] = Math.max(ends[k], r[1]);
            } else {
                k++;
                starts[k] = r[0];
                ends[k] = r[1];
            }
        }
        return new RangeSet(Arrays.copyOf(starts, k + 1), Arrays.copyOf(ends, k + 1));
    }

    public boolean contains(Ipv4Address address) {
        return contains(address.unsigned());
    }

    /** {@code address} as an unsigned 32-bit value. */
    public boolean contains(long address) {
        int i = indexAtOrBefore(address);
        return i >= 0 && address <= ends[i];
    }

    /** Number of addresses in the set. */
    public long size() {
        return size;
    }

    public boolean isEmpty() {
        return starts.length == 0;
    }

    /** Number of merged intervals. */
    public int intervals() {
        return starts.length;
    }

    /** Unsigned first address of interval {@code i} (0 <= i < {@link #intervals()}). */
    public long start(int i) {
        return starts[i];
    }

    /** Unsigned last address of interval {@code i}. */
    public long end(int i) {
        return ends[i];
    }

    /** How many addresses of {@code [from, to]} (unsigned, inclusive) are in the set: O(log n + intervals met). */
    public long countWithin(long from, long to) {
        if (from > to) {
            return 0;
        }
        long count = 0;
        int i = Math.max(0, indexAtOrBefore(from));
        for (; i < starts.length && starts[i] <= to; i++) {
            long lo = Math.max(from, starts[i]);
            long hi = Math.min(to, ends[i]);
            if (lo <= hi) {
                count += hi - lo + 1;
            }
        }
        return count;
    }

    /** The addresses of this set that are not in {@code other}: O(n + m). */
    public RangeSet minus(RangeSet other) {
        if (isEmpty() || other.isEmpty()) {
            return this;
        }
        long[] outStarts = new long[starts.length + other.starts.length];
        long[] outEnds = new long[outStarts.length];
        int k = 0;
        int j = 0;
        for (int i = 0; i < starts.length; i++) {
            long lo = starts[i];
            long hi = ends[i];
            while (j < other.starts.length && other.ends[j] < lo) {
                j++;
            }
            int m = j;
            while (lo <= hi && m < other.starts.length && other.starts[m] <= hi) {
                if (other.starts[m] > lo) {
                    outStarts[k] = lo;
                    outEnds[k++] = other.starts[m] - 1;
                }
                lo = Math.max(lo, other.ends[m] + 1);
                m++;
            }
            if (lo <= hi) {
                outStarts[k] = lo;
                outEnds[k++] = hi;
            }
        }
        return new RangeSet(Arrays.copyOf(outStarts, k), Arrays.copyOf(outEnds, k));
    }

    /** Index of the last interval starting at or before {@code address}, or -1. */
    private int indexAtOrBefore(long address) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= address) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RangeSet r && Arrays.equals(starts, r.starts) && Arrays.equals(ends, r.ends);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(starts) + Arrays.hashCode(ends);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < starts.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(Ipv4Address.ofUnsigned(starts[i])).append('-')
                    .append(Ipv4Address.ofUnsigned(ends[i]));
        }
        return sb.append(']').toString();
    }
}
