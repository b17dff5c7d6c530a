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
