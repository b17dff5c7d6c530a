package io.fabricipam.fabric.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.storage.failback.FailbackSettings;
import io.fabricipam.fabric.storage.failback.TargetAdminDriver;
import io.fabricipam.fabric.storage.health.ProbeSettings;
import io.fabricipam.fabric.storage.iscsi.DataSegment;
import io.fabricipam.fabric.storage.iscsi.IscsiCodec;
import io.fabricipam.fabric.storage.iscsi.IscsiMessage;
import io.fabricipam.fabric.storage.iscsi.LoginRequest;
import io.fabricipam.fabric.storage.iscsi.LoginResponse;
import io.fabricipam.fabric.storage.iscsi.LoginStage;
import io.fabricipam.fabric.storage.iscsi.LoginStatus;
import io.fabricipam.fabric.storage.iscsi.Reject;
import io.fabricipam.fabric.storage.iscsi.TextParameters;
import io.fabricipam.fabric.storage.redirect.RedirectorSettings;
import io.fabricipam.fabric.storage.redirect.SessionOutcome;
import io.fabricipam.fabric.storage.target.HealthState;
import io.fabricipam.fabric.storage.target.Portal;
import io.fabricipam.fabric.storage.target.TargetSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile and broken clients against the redirector, each next to a real libiscsi client that
 * must keep working: garbage, oversized lengths, a slow loris, a login that never completes,
 * a client that vanishes mid-PDU, and more connections than the limit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedirectorRobustnessIT {

    private static final int REDIRECTOR_PORT = 13373;
    private static final int MAX_CONNECTIONS = 6;
    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final String IQN = "iqn.2024-01.io.fabricipam:robust";
    private Path dir;
    private TgtDaemon tgtd;
    private StorageFabric fabric;

    @BeforeAll
    void start() throws Exception {
        ExternalTools.requireInstalled("tgtd", "tgtadm", "iscsi-inq");
        dir = Files.createTempDirectory("redirector-robustness-");
        Path lun = dir.resolve("lun.img");
        try (RandomAccessFile file = new RandomAccessFile(lun.toFile(), "rw")) {
            file.setLength(16L << 20);
        }
        tgtd = TgtDaemon.start(45, 13365, dir);
        tgtd.addTarget(1, IQN, lun);
        fabric = new StorageFabric(StorageSettings.defaults()
                .withRedirector(RedirectorSettings.listeningOn(new Portal("127.0.0.1", REDIRECTOR_PORT))
                        .withLimits(MAX_CONNECTIONS, LOGIN_TIMEOUT, Duration.ofSeconds(2)))
                .withProbe(ProbeSettings.DEFAULT)
                .withFailback(FailbackSettings.DEFAULT)
                .withTargets(List.of(TargetSpec.of("only", "127.0.0.1:13365", true))), TargetAdminDriver.NONE,
                Clock.systemUTC());
        fabric.start();
        StorageLab.await(() -> fabric.target("only").orElseThrow().health(), h -> h == HealthState.HEALTHY, BOUND,
                "the target to be healthy");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (fabric != null) {
                fabric.close();
            }
            if (tgtd != null) {
                tgtd.close();
            }
        } finally {
            if (dir != null) {
                StorageLab.deleteTree(dir);
            }
        }
    }

    private static void assertRealClientWorks() {
        ExternalTools.Result inq = ExternalTools.run(Duration.ofSeconds(30), "iscsi-inq",
                "iscsi://127.0.0.1:" + REDIRECTOR_PORT + "/" + IQN + "/1");
        assertThat(inq.exitCode()).as(inq.all()).isZero();
        assertThat(inq.stdout()).contains("Product:VIRTUAL-DISK");
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", REDIRECTOR_PORT);
        socket.setSoTimeout((int) BOUND.toMillis()); // a safety net: every read below expects an answer or a close
        return socket;
    }

    /** Reads until the server closes the connection; fails if it does not within the bound. */
    private static byte[] readUntilClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            return in.readAllBytes();
        } catch (SocketException e) {
            return new byte[0]; // reset by the server: closed too
        }
    }

    @Test
    void garbageAndOversizedLengthsAreDroppedWhileARealClientLogsIn() throws Exception {
        long malformedBefore = fabric.redirectorStats().malformed();
        try (Socket huge = connect(); Socket noise = connect()) {
            byte[] header = new byte[48];
            header[0] = 0x43;
            header[5] = (byte) 0xff; // 16 MiB of login text announced
            huge.getOutputStream().write(header);
            byte[] random = new byte[4096];
            new Random(7).nextBytes(random);
            random[5] = 0x7f; // whatever else is random, announce far more than the limit
            noise.getOutputStream().write(random);

            assertRealClientWorks();
            assertThat(readUntilClosed(huge)).isEmpty();
            assertThat(readUntilClosed(noise)).isEmpty();
        }
        assertThat(fabric.redirectorStats().malformed()).isGreaterThanOrEqualTo(malformedBefore + 2);
    }

    @Test
    void aNonLoginFirstPduIsRejectedAndBrokenLoginTextRefused() throws Exception {
        try (Socket socket = connect()) {
            byte[] unknown = new byte[48];
            unknown[0] = 0x1c; // an opcode RFC 7143 does not define
            socket.getOutputStream().write(unknown);
            byte[] answer = readUntilClosed(socket);
            IscsiMessage reply = IscsiMessage.decode(IscsiCodec.read(new ByteArrayInputStream(answer), 8192).orElseThrow());
            assertThat(reply).isInstanceOf(Reject.class);
        }
        try (Socket socket = connect()) {
            LoginRequest login = new LoginRequest(true, false, LoginStage.OPERATIONAL_NEGOTIATION,
                    LoginStage.FULL_FEATURE_PHASE, 0, 0, 1L << 47, 0, 1, 0, 1, 0,
                    DataSegment.of("InitiatorName=iqn.x:broken\0TargetName".getBytes()));
            socket.getOutputStream().write(login.toPdu().toBytes());
            byte[] answer = readUntilClosed(socket);
            LoginResponse response = (LoginResponse) IscsiMessage.decode(
                    IscsiCodec.read(new ByteArrayInputStream(answer), 8192).orElseThrow());
            assertThat(response.status()).isEqualTo(LoginStatus.INITIATOR_ERROR);
        }
        assertRealClientWorks();
    }

    @Test
    void aSlowLorisIsCutOffAtTheLoginDeadlineWhileOthersAreServed() throws Exception {
        long timedOutBefore = fabric.redirectorStats().timedOut();
        byte[] login = new LoginRequest(true, false, LoginStage.OPERATIONAL_NEGOTIATION, LoginStage.FULL_FEATURE_PHASE,
                0, 0, 1L << 47, 0, 1, 0, 1, 0, DataSegment.of(TextParameters.of("InitiatorName", "iqn.x:loris",
                        "TargetName", IQN))).toPdu().toBytes();
        try (Socket loris = connect()) {
            OutputStream out = loris.getOutputStream();
            boolean cutOff = false;
            // One byte every 200 ms would take ~20 s for this PDU; the deadline is 1 s for all of it.
            for (int i = 0; i < login.length && !cutOff; i++) {
                try {
                    out.write(login[i]);
                    out.flush();
                } catch (IOException e) {
                    cutOff = true;
                }
                if (i == 2) {
                    assertRealClientWorks();
                }
                if (loris.getInputStream().available() == 0 && fabric.redirectorStats().timedOut() > timedOutBefore) {
                    cutOff = true;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            assertThat(cutOff).as("the redirector closed the slow connection before the PDU was complete").isTrue();
            assertThat(readUntilClosed(loris)).isEmpty();
        }
        assertThat(fabric.redirectorStats().timedOut()).isGreaterThan(timedOutBefore);
    }

    @Test
    void aDiscoveryLoginThatNeverCompletesIsLoggedAsAbandoned() throws Exception {
        try (Socket socket = connect()) {
            // The security stage is answered, then the initiator never goes on.
            LoginRequest login = new LoginRequest(true, false, LoginStage.SECURITY_NEGOTIATION,
                    LoginStage.OPERATIONAL_NEGOTIATION, 0, 0, 1L << 47, 0, 1, 0, 1, 0, DataSegment.of(
                    TextParameters.of("InitiatorName", "iqn.x:stalled", "SessionType", "Discovery", "AuthMethod", "None")));
            socket.getOutputStream().write(login.toPdu().toBytes());
            byte[] answer = readUntilClosed(socket);
            LoginResponse response = (LoginResponse) IscsiMessage.decode(
                    IscsiCodec.read(new ByteArrayInputStream(answer), 8192).orElseThrow());
            assertThat(response.status()).isEqualTo(LoginStatus.SUCCESS);
        }
        assertThat(fabric.sessions()).anySatisfy(r -> {
            assertThat(r.initiatorName()).isEqualTo("iqn.x:stalled");
            assertThat(r.outcome()).isEqualTo(SessionOutcome.ABANDONED);
            assertThat(r.reason()).isEqualTo("login never completed: timed out");
        });
        assertRealClientWorks();
    }

    @Test
    void aClientVanishingMidPduCostsNothing() throws Exception {
        long before = fabric.redirectorStats().disconnected();
        byte[] login = new LoginRequest(true, false, LoginStage.OPERATIONAL_NEGOTIATION, LoginStage.FULL_FEATURE_PHASE,
                0, 0, 1L << 47, 0, 1, 0, 1, 0, DataSegment.of(TextParameters.of("InitiatorName", "iqn.x:gone",
                        "TargetName", IQN))).toPdu().toBytes();
        for (int i = 0; i < 5; i++) {
            try (Socket socket = connect()) {
                socket.getOutputStream().write(Arrays.copyOf(login, 48 + 10));
            }
        }
        StorageLab.await(() -> fabric.redirectorStats().disconnected(), n -> n >= before + 5, BOUND,
                "five mid-PDU disconnects to be counted");
        assertThat(fabric.redirectorStats().active()).isLessThanOrEqualTo(MAX_CONNECTIONS);
        assertRealClientWorks();
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnceAndTheLimitRecovers() throws Exception {
        long overBefore = fabric.redirectorStats().overLimit();
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                idle.add(connect());
            }
            StorageLab.await(() -> fabric.redirectorStats().active(), n -> n == MAX_CONNECTIONS, BOUND,
                    "all slots to be taken");
            try (Socket extra = connect()) {
                assertThat(readUntilClosed(extra)).isEmpty();
            }
            assertThat(fabric.redirectorStats().overLimit()).isGreaterThan(overBefore);
            // The idle ones hit the login deadline and free their slots; then logins work again.
            StorageLab.await(() -> fabric.redirectorStats().active(), n -> n == 0, BOUND, "the idle slots to time out");
            assertRealClientWorks();
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }
}
