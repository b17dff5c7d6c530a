package io.fabricipam.ovs.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MacAddressTest {

    @Test
    void parsesAndPrintsLikeOvs() {
        MacAddress mac = MacAddress.parse("02:AB:cd:00:0f:10");

        assertThat(mac.toString()).isEqualTo("02:ab:cd:00:0f:10");
        assertThat(MacAddress.of(mac.toBytes())).isEqualTo(mac);
        assertThat(MacAddress.parse("02-ab-cd-00-0f-10")).isEqualTo(mac);
        assertThat(mac.isMulticast()).isFalse();
        assertThat(MacAddress.BROADCAST.isMulticast()).isTrue();
    }

    @Test
    void refusesWhatIsNotAMac() {
        assertThatThrownBy(() -> MacAddress.parse("02:ab:cd:00:0f")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MacAddress.parse("02:ab:cd:00:0f:100")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MacAddress(1L << 48)).isInstanceOf(IllegalArgumentException.class);
    }
}
