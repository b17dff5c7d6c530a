package io.fabricipam.ovs;

import io.fabricipam.ovs.channel.TlsFiles;
import io.fabricipam.ovs.flow.FlowCookie;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the OpenFlow side needs to know at start.
 *
 * @param bindAddress      where to listen ("0.0.0.0" for every interface, "127.0.0.1" for local OVS only)
 * @param port             the OpenFlow port (6653 is IANA's); 0 picks a free one (tests)
 * @param tls              PEM files for {@code ssl:} controllers, or null for plain TCP
 * @param echoInterval     silence after which we send an ECHO_REQUEST
 * @param echoMisses       unanswered echoes after which the connection is declared dead and closed
 * @param handshakeTimeout the limit for each handshake state
 * @param requestTimeout   the limit for a switch to answer a stats request or barrier
 * @param meters           limit each guest port's punted DHCP with an OpenFlow meter (when the switch has meters)
 * @param meterRatePps     the meter's rate, packets per second
 * @param meterBurst       the meter's burst, packets
 * @param uplinkPorts      port names that are uplinks whatever OVSDB says (physical NICs)
 * @param tunnelPorts      port names that are tunnels whatever OVSDB says
 * @param cookie           the cookie value/mask that marks our flows
 * @param table            the OpenFlow table our pipeline lives in (0 unless another pipeline sends us traffic)
 * @param ovsdbSocket      OVSDB's unix socket, or null to run without OVSDB (every port is then unknown
 *                         unless named as uplink/tunnel, so no guest is intercepted; see {@code StaticPortBindings})
 * @param ioThreads        Netty I/O threads for switch connections
 */
public record OpenFlowSettings(
        String bindAddress,
        int port,
        TlsFiles tls,
        Duration echoInterval,
        int echoMisses,
        Duration handshakeTimeout,
        Duration requestTimeout,
        boolean meters,
        long meterRatePps,
        long meterBurst,
        Set<String> uplinkPorts,
        Set<String> tunnelPorts,
        FlowCookie cookie,
        int table,
        Path ovsdbSocket,
        int ioThreads) {

    public static final int DEFAULT_PORT = 6653;
    public static final Path DEFAULT_OVSDB_SOCKET = Path.of("/var/run/openvswitch/db.sock");

    public OpenFlowSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(echoInterval, "echoInterval");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(cookie, "cookie");
        uplinkPorts = Set.copyOf(uplinkPorts);
        tunnelPorts = Set.copyOf(tunnelPorts);
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (echoMisses < 1 || ioThreads < 1) {
            throw new IllegalArgumentException("echoMisses and ioThreads must be at least 1");
        }
        if (meterRatePps <= 0 || meterBurst < 0) {
            throw new IllegalArgumentException("meter rate must be positive and burst not negative");
        }
        if (table < 0 || table > 254) {
            throw new IllegalArgumentException("table out of range: " + table);
        }
    }

    /**
     * Listen on all interfaces on 6653 without TLS; echo after 5 s of silence and give up after 3 misses;
     * meters of 100 DHCP packets/s with a burst of 50 per guest port (a booting guest sends a handful;
     * a burst absorbs many guests behind one trunk port retrying together); OVSDB at its Debian path.
     */
    public static OpenFlowSettings defaults() {
        return new OpenFlowSettings("0.0.0.0", DEFAULT_PORT, null, Duration.ofSeconds(5), 3, Duration.ofSeconds(10),
                Duration.ofSeconds(10), true, 100, 50, Set.of(), Set.of(), FlowCookie.DEFAULT, 0, DEFAULT_OVSDB_SOCKET, 2);
    }

    public OpenFlowSettings withListener(String address, int listenPort) {
        return new OpenFlowSettings(address, listenPort, tls, echoInterval, echoMisses, handshakeTimeout, requestTimeout,
                meters, meterRatePps, meterBurst, uplinkPorts, tunnelPorts, cookie, table, ovsdbSocket, ioThreads);
    }

    public OpenFlowSettings withTls(TlsFiles files) {
        return new OpenFlowSettings(bindAddress, port, files, echoInterval, echoMisses, handshakeTimeout, requestTimeout,
                meters, meterRatePps, meterBurst, uplinkPorts, tunnelPorts, cookie, table, ovsdbSocket, ioThreads);
    }

    public OpenFlowSettings withEcho(Duration interval, int misses) {
        return new OpenFlowSettings(bindAddress, port, tls, interval, misses, handshakeTimeout, requestTimeout,
                meters, meterRatePps, meterBurst, uplinkPorts, tunnelPorts, cookie, table, ovsdbSocket, ioThreads);
    }

    public OpenFlowSettings withMeters(boolean enabled, long ratePps, long burst) {
        return new OpenFlowSettings(bindAddress, port, tls, echoInterval, echoMisses, handshakeTimeout, requestTimeout,
                enabled, ratePps, burst, uplinkPorts, tunnelPorts, cookie, table, ovsdbSocket, ioThreads);
    }

    public OpenFlowSettings withPortNames(Set<String> uplinks, Set<String> tunnels) {
        return new OpenFlowSettings(bindAddress, port, tls, echoInterval, echoMisses, handshakeTimeout, requestTimeout,
                meters, meterRatePps, meterBurst, uplinks, tunnels, cookie, table, ovsdbSocket, ioThreads);
    }

    public OpenFlowSettings withCookie(FlowCookie flowCookie) {
        return new OpenFlowSettings(bindAddress, port, tls, echoInterval, echoMisses, handshakeTimeout, requestTimeout,
                meters, meterRatePps, meterBurst, uplinkPorts, tunnelPorts, flowCookie, table, ovsdbSocket, ioThreads);
    }

    public OpenFlowSettings withOvsdbSocket(Path socket) {
        return new OpenFlowSettings(bindAddress, port, tls, echoInterval, echoMisses, handshakeTimeout, requestTimeout,
                meters, meterRatePps, meterBurst, uplinkPorts, tunnelPorts, cookie, table, socket, ioThreads);
    }
}
