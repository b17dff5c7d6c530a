package io.fabricipam.dhcp.scope;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RangeSet against a bitmap of the same ranges, on random ranges that overlap, touch and nest. */
class RangeSetTest {

    private static final long BASE = Ipv4Address.parse("10.0.0.0").unsigned();
    private static final int SPAN = 600;

    @Test
    void membershipCountsAndDifferenceMatchABitmap() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 500; round++) {
            List<AddressRange> a = ranges(random);
            List<AddressRange> b = ranges(random);
            BitSet bitsA = bits(a);
            BitSet bitsB = bits(b);
            RangeSet setA = RangeSet.of(a);
            RangeSet setB = RangeSet.of(b);

            assertThat(setA.size()).isEqualTo(bitsA.cardinality());
            for (int i = 0; i < SPAN; i++) {
                assertThat(setA.contains(BASE + i)).as("round %d, offset %d in %s", round, i, a).isEqualTo(bitsA.get(i));
            }
            int from = random.nextInt(SPAN);
            int to = random.nextInt(SPAN);
            assertThat(setA.countWithin(BASE + from, BASE + to))
                    .isEqualTo(from > to ? 0 : bitsA.get(from, to + 1).cardinality());

            BitSet difference = (BitSet) bitsA.clone();
            difference.andNot(bitsB);
            RangeSet minus = setA.minus(setB);
            assertThat(minus.size()).isEqualTo(difference.cardinality());
            for (int i = 0; i < SPAN; i++) {
                assertThat(minus.contains(BASE + i)).as("round %d, offset %d", round, i).isEqualTo(difference.get(i));
            }
            for (int i = 1; i < setA.intervals(); i++) {
                assertThat(setA.start(i)).as("merged: disjoint and not touching").isGreaterThan(setA.end(i - 1) + 1);
            }
        }
    }

    @Test
    void anEmptySetHoldsNothing() {
        assertThat(RangeSet.of(List.of()).contains(Ipv4Address.parse("10.0.0.1"))).isFalse();
        assertThat(RangeSet.EMPTY.size()).isZero();
        assertThat(RangeSet.of(List.of(AddressRange.of("10.0.0.1", "10.0.0.9"))).minus(RangeSet.EMPTY).size()).isEqualTo(9);
    }

    @Test
    void theTopOfTheAddressSpaceIsUnsigned() {
        RangeSet set = RangeSet.of(List.of(AddressRange.of("255.255.255.250", "255.255.255.255"),
                AddressRange.of("1.0.0.0", "1.0.0.0")));
        assertThat(set.contains(Ipv4Address.parse("255.255.255.255"))).isTrue();
        assertThat(set.contains(Ipv4Address.parse("128.0.0.0"))).isFalse();
        assertThat(set.size()).isEqualTo(7);
    }

    private static List<AddressRange> ranges(SplittableRandom random) {
        List<AddressRange> out = new ArrayList<>();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            int start = random.nextInt(SPAN);
            int end = Math.min(SPAN - 1, start + random.nextInt(random.nextBoolean() ? 4 : 120));
            out.add(new AddressRange(Ipv4Address.ofUnsigned(BASE + start), Ipv4Address.ofUnsigned(BASE + end)));
        }
        return out;
    }

    private static BitSet bits(List<AddressRange> ranges) {
        BitSet bits = new BitSet(SPAN);
        for (AddressRange r : ranges) {
            bits.set((int) (r.start().unsigned() - BASE), (int) (r.end().unsigned() - BASE) + 1);
        }
        return bits;
    }
}
