package io.fabricipam.dhcp.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.net.MacAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientKeyTest {

    /** 100,000 guests of one host: MAC addresses that differ in their last three bytes only. */
    private static final int GUESTS = 100_000;

    @Test
    void sequentialMacAddressesHashApart() {
        Set<Integer> hashes = new HashSet<>();
        Set<Integer> buckets = new HashSet<>(); // the low bits a HashMap of this size uses
        for (int i = 0; i < GUESTS; i++) {
            ClientKey key = ClientKey.ofHardware(MacAddress.parse(String.format("02:50:00:%02x:%02x:%02x",
                    i >> 16 & 0xFF, i >> 8 & 0xFF, i & 0xFF)));
            hashes.add(key.hashCode());
            buckets.add(key.hashCode() & ((1 << 18) - 1));
        }
        // Arrays.hashCode gave ~12,000 distinct values here; a fair 32-bit hash has ~1 collision in 100,000
        assertThat(hashes).hasSizeGreaterThan(GUESTS - 10);
        // 100,000 keys over 262,144 buckets: a fair hash fills ~83,000 of them
        assertThat(buckets).hasSizeGreaterThan(75_000);
    }

    @Test
    void textRoundTripsAndEqualKeysHashAlike() {
        ClientKey hw = ClientKey.ofHardware(MacAddress.parse("02:50:00:0a:bc:de"));
        ClientKey id = ClientKey.ofClientId(new byte[] {0, 1, 2, (byte) 0xff});
        assertThat(hw.toString()).isEqualTo("hw:010250000abcde");
        assertThat(id.toString()).isEqualTo("id:000102ff");
        for (ClientKey key : new ClientKey[] {hw, id}) {
            ClientKey parsed = ClientKey.parse(key.toString());
            assertThat(parsed).isEqualTo(key).hasSameHashCodeAs(key);
        }
        assertThat(hw).isNotEqualTo(ClientKey.ofClientId(new byte[] {1, 2, 0x50, 0, 0x0a, (byte) 0xbc, (byte) 0xde}));
    }

    @Test
    void malformedTextIsRefused() {
        assertThatThrownBy(() -> ClientKey.parse("mac:0102")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientKey.parse("hw:0202500000000a")).hasMessageContaining("Ethernet");
    }
}
