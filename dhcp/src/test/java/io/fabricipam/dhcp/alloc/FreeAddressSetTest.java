package io.fabricipam.dhcp.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FreeAddressSetTest {

    /** nextFrom must agree with a plain BitSet scan after any sequence of adds and removes. */
    @ParameterizedTest
    @ValueSource(ints = {1, 63, 64, 65, 4095, 4096, 4097, 262_144 + 17})
    void agreesWithABitSetUnderRandomOperations(int size) {
        FreeAddressSet set = new FreeAddressSet(size);
        BitSet reference = new BitSet(size);
        SplittableRandom random = new SplittableRandom(size);
        for (int i = 0; i < 20_000; i++) {
            int offset = random.nextInt(size);
            if (random.nextInt(3) == 0) {
                assertThat(set.remove(offset)).isEqualTo(reference.get(offset));
                reference.clear(offset);
            } else {
                assertThat(set.add(offset)).isEqualTo(!reference.get(offset));
                reference.set(offset);
            }
            int from = random.nextInt(size);
            int expected = reference.nextSetBit(from);
            if (expected < 0) {
                expected = reference.nextSetBit(0);
            }
            assertThat(set.nextFrom(from)).isEqualTo(expected);
            assertThat(set.count()).isEqualTo(reference.cardinality());
        }
    }

    /** Ranges, single operations and lookups mixed: the set must stay what a BitSet says, counts included. */
    @ParameterizedTest
    @ValueSource(ints = {1, 64, 65, 4097, 262_144 + 17, 1 << 20})
    void rangesAgreeWithABitSet(int size) {
        FreeAddressSet set = new FreeAddressSet(size);
        BitSet reference = new BitSet(size);
        SplittableRandom random = new SplittableRandom(31L * size);
        for (int i = 0; i < 3_000; i++) {
            int first = random.nextInt(size);
            int last = Math.min(size - 1, first + random.nextInt(Math.min(size, 1 + random.nextInt(4) * 200)));
            int before = reference.cardinality();
            switch (random.nextInt(4)) {
                case 0 -> {
                    assertThat(set.addRange(first, last)).isEqualTo(last - first + 1 - reference.get(first, last + 1).cardinality());
                    reference.set(first, last + 1);
                }
                case 1 -> {
                    assertThat(set.removeRange(first, last)).isEqualTo(reference.get(first, last + 1).cardinality());
                    reference.clear(first, last + 1);
                }
                case 2 -> {
                    set.remove(first);
                    reference.clear(first);
                }
                default -> {
                    set.add(last);
                    reference.set(last);
                }
            }
            assertThat(set.count()).as("count after %d (was %d)", i, before).isEqualTo(reference.cardinality());
            int from = random.nextInt(size);
            int expected = reference.nextSetBit(from);
            if (expected < 0) {
                expected = reference.nextSetBit(0);
            }
            assertThat(set.nextFrom(from)).isEqualTo(expected);
        }
        for (int offset = reference.nextSetBit(0); offset >= 0; offset = reference.nextSetBit(offset + 1)) {
            assertThat(set.contains(offset)).isTrue();
        }
    }

    @Test
    void aRangeCoversWholeWordsAndTheirEdges() {
        FreeAddressSet set = new FreeAddressSet(1 << 20);
        assertThat(set.addRange(63, (1 << 20) - 2)).isEqualTo((1 << 20) - 64);
        assertThat(set.nextFrom(0)).isEqualTo(63);
        assertThat(set.nextFrom((1 << 20) - 1)).isEqualTo(63); // wraps
        assertThat(set.removeRange(63, 4095)).isEqualTo(4095 - 63 + 1);
        assertThat(set.nextFrom(0)).isEqualTo(4096);
        assertThat(set.removeRange(0, (1 << 20) - 1)).isEqualTo((1 << 20) - 64 - (4095 - 63 + 1));
        assertThat(set.nextFrom(0)).isEqualTo(-1);
        assertThat(set.count()).isZero();
    }

    @Test
    void findsTheLastFreeAddressOfAFullSlash12() {
        int size = 1 << 20;
        FreeAddressSet set = new FreeAddressSet(size);
        set.add(size - 1);
        set.add(5);
        assertThat(set.nextFrom(6)).isEqualTo(size - 1);
        assertThat(set.nextFrom(size - 1)).isEqualTo(size - 1);
        set.remove(size - 1);
        assertThat(set.nextFrom(6)).isEqualTo(5); // wraps around
        set.remove(5);
        assertThat(set.nextFrom(0)).isEqualTo(-1);
        assertThat(set.count()).isZero();
    }
}
