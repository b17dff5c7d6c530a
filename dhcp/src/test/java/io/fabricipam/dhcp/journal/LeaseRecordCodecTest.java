package io.fabricipam.dhcp.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.store.LeaseChange;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LeaseRecordCodecTest {

    static final UUID SCOPE = UUID.fromString("5c09e000-0000-4000-8000-00000000abcd");
    static final Instant T = Instant.parse("2026-11-21T10:00:00.123Z");

    @ParameterizedTest
    @EnumSource(LeaseState.class)
    void everyFieldOfARowAndItsEventSurvives(LeaseState state) throws IOException {
        MacAddress mac = MacAddress.parse("02:00:00:ab:cd:ef");
        Lease lease = new Lease(SCOPE, Ipv4Address.parse("10.20.0.100"), ClientKey.ofClientId(new byte[] {1, 2, 3}), mac,
                "vm-één", state, T, T.plusSeconds(3600), "of:00000000000000a1/vm1");
        LeaseEvent event = new LeaseEvent(SCOPE, lease.address(), LeaseEventType.RENEWED, lease.client(), mac,
                T.plusMillis(7), T.plusSeconds(3600), "udp:eth0", "detail text");
        LeaseChange decoded = LeaseRecordCodec.decode(LeaseRecordCodec.encode(new LeaseChange(null, lease, event, true)));
        assertThat(decoded.after()).isEqualTo(lease);
        assertThat(decoded.event()).isEqualTo(event);
        assertThat(decoded.durable()).isTrue();
    }

    @Test
    void nullsAndDeletionsSurvive() throws IOException {
        Lease declined = new Lease(SCOPE, Ipv4Address.parse("10.20.0.7"), null, null, null, LeaseState.DECLINED, null,
                T, null);
        LeaseChange decoded = LeaseRecordCodec.decode(LeaseRecordCodec.encode(new LeaseChange(null, declined, null, true)));
        assertThat(decoded.after()).isEqualTo(declined);
        assertThat(decoded.event()).isNull();

        LeaseEvent reclaimed = LeaseEvent.of(LeaseEventType.RECLAIMED, declined, T, "probation ended");
        LeaseChange deletion = LeaseRecordCodec.decode(LeaseRecordCodec.encode(new LeaseChange(declined, null, reclaimed, true)));
        assertThat(deletion.after()).isNull();
        assertThat(deletion.scopeId()).isEqualTo(SCOPE);
        assertThat(deletion.address()).isEqualTo(Ipv4Address.parse("10.20.0.7"));
        assertThat(deletion.event()).isEqualTo(reclaimed);
    }

    @Test
    void aRecordIsSmall() {
        MacAddress mac = MacAddress.parse("02:00:00:00:00:01");
        Lease lease = new Lease(SCOPE, Ipv4Address.parse("10.20.0.100"), ClientKey.ofHardware(mac), mac, null,
                LeaseState.BOUND, T, T.plusSeconds(3600), "udp:eth0");
        byte[] bytes = LeaseRecordCodec.encode(new LeaseChange(null, lease,
                LeaseEvent.of(LeaseEventType.BOUND, lease, T, null), true));
        assertThat(bytes.length).isLessThan(200);
    }

    @Test
    void anUnknownFormatOrATruncatedRecordIsAnError() {
        byte[] bytes = LeaseRecordCodec.encode(new LeaseChange(null, new Lease(SCOPE, Ipv4Address.parse("10.0.0.1"), null,
                null, "h", LeaseState.EXPIRED, null, T, null), null, true));
        byte[] future = bytes.clone();
        future[0] = 9;
        assertThatThrownBy(() -> LeaseRecordCodec.decode(future)).isInstanceOf(IOException.class).hasMessageContaining("format 9");
        assertThatThrownBy(() -> LeaseRecordCodec.decode(java.util.Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IOException.class);
    }
}
