package io.fabricipam.fabric.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HostRecordCodecTest {

    private static final Instant STARTED = Instant.parse("2026-12-06T22:00:00.123Z");
    private static final Instant HEARTBEAT = Instant.parse("2026-12-06T22:00:41.002Z");

    private static Inet4Address ip(String text) throws Exception {
        return (Inet4Address) InetAddress.getByName(text);
    }

    @Test
    void aLeaderWithEveryFieldIsTheDocumentedText() throws Exception {
        HostRecord record = new HostRecord("host-a", ip("10.99.0.1"), URI.create("http://10.0.0.1:8080"), STARTED,
                HEARTBEAT, OptionalLong.of(7));

        byte[] bytes = HostRecordCodec.encode(record);

        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("""
                format=fabric-ipam-host/1
                host-id=host-a
                underlay-ip=10.99.0.1
                rest-url=http://10.0.0.1:8080
                started-at=2026-12-06T22:00:00.123Z
                heartbeat-at=2026-12-06T22:00:41.002Z
                leader-epoch=7
                """);
        assertThat(HostRecordCodec.decode(bytes)).isEqualTo(record);
    }

    @Test
    void optionalFieldsAreLeftOutAndComeBackEmpty() throws Exception {
        HostRecord record = new HostRecord("h.example_2", ip("192.168.1.254"), null, STARTED, STARTED,
                OptionalLong.empty());

        byte[] bytes = HostRecordCodec.encode(record);

        assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("rest-url").doesNotContain("leader-epoch");
        HostRecord decoded = HostRecordCodec.decode(bytes);
        assertThat(decoded).isEqualTo(record);
        assertThat(HostRecordCodec.encode(decoded)).isEqualTo(bytes);
    }

    @Test
    void keysOfALaterMinorVersionAreIgnoredAndOrderDoesNotMatter() {
        String text = "format=fabric-ipam-host/1\nheartbeat-at=2026-12-06T22:00:41.002Z\nzone=rack-4\n"
                + "underlay-ip=10.99.0.3\nstarted-at=2026-12-06T22:00:00.123Z\nhost-id=c\n";

        HostRecord decoded = HostRecordCodec.decode(text.getBytes(StandardCharsets.UTF_8));

        assertThat(decoded.hostId()).isEqualTo("c");
        assertThat(decoded.underlayIp().getHostAddress()).isEqualTo("10.99.0.3");
        assertThat(decoded.heartbeatAt()).isEqualTo(HEARTBEAT);
        assertThat(decoded.leaderEpoch()).isEmpty();
    }

    @Test
    void anotherFormatOrVersionIsRefusedNamingTheFirstLine() {
        assertThatThrownBy(() -> HostRecordCodec.decode("format=fabric-ipam-host/2\nhost-id=a\n".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format=fabric-ipam-host/2");
        assertThatThrownBy(() -> HostRecordCodec.decode("{\"host\":\"a\"}".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a format=fabric-ipam-host/1");
        assertThatThrownBy(() -> HostRecordCodec.decode(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> HostRecordCodec.decode(new byte[HostRecordCodec.MAX_BYTES + 1]))
                .hasMessageContaining("4097 bytes");
    }

    @Test
    void brokenValuesAreRefusedNamingTheKey() {
        String head = "format=fabric-ipam-host/1\nhost-id=a\nstarted-at=2026-12-06T22:00:00Z\n"
                + "heartbeat-at=2026-12-06T22:00:00Z\n";
        assertThatThrownBy(() -> decode(head)).hasMessage("host record without underlay-ip");
        assertThatThrownBy(() -> decode(head + "underlay-ip=fabric.example\n"))
                .hasMessageContaining("underlay-ip is not an IPv4 address");
        assertThatThrownBy(() -> decode(head + "underlay-ip=300.1.1.1\n"))
                .hasMessageContaining("underlay-ip is not an IPv4 address");
        assertThatThrownBy(() -> decode(head + "underlay-ip=10.0.0.1\nleader-epoch=seven\n"))
                .hasMessageContaining("leader-epoch is not a number");
        assertThatThrownBy(() -> decode(head + "underlay-ip=10.0.0.1\nunderlay-ip=10.0.0.2\n"))
                .hasMessageContaining("underlay-ip appears twice");
        assertThatThrownBy(() -> decode(head + "underlay-ip=10.0.0.1\njust text\n"))
                .hasMessageContaining("not key=value");
        assertThatThrownBy(() -> decode(head.replace("22:00:00Z\nheart", "yesterday\nheart") + "underlay-ip=10.0.0.1\n"))
                .hasMessageContaining("started-at is not an ISO-8601 instant");
    }

    private static HostRecord decode(String text) {
        return HostRecordCodec.decode(text.getBytes(StandardCharsets.UTF_8));
    }
}
