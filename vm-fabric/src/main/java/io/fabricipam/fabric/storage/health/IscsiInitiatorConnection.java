package io.fabricipam.fabric.storage.health;

import io.fabricipam.fabric.storage.iscsi.DataSegment;
import io.fabricipam.fabric.storage.iscsi.DeadlineInputStream;
import io.fabricipam.fabric.storage.iscsi.IscsiCodec;
import io.fabricipam.fabric.storage.iscsi.IscsiMessage;
import io.fabricipam.fabric.storage.iscsi.IscsiProtocolException;
import io.fabricipam.fabric.storage.iscsi.LoginRequest;
import io.fabricipam.fabric.storage.iscsi.LoginResponse;
import io.fabricipam.fabric.storage.iscsi.LoginStage;
import io.fabricipam.fabric.storage.iscsi.LogoutRequest;
import io.fabricipam.fabric.storage.iscsi.NopIn;
import io.fabricipam.fabric.storage.iscsi.NopOut;
import io.fabricipam.fabric.storage.iscsi.Reject;
import io.fabricipam.fabric.storage.iscsi.TextParameters;
import io.fabricipam.fabric.storage.iscsi.TextRequest;
import io.fabricipam.fabric.storage.iscsi.TextResponse;
import io.fabricipam.fabric.storage.target.Portal;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal blocking iSCSI initiator for one connection: log in (discovery or normal session,
 * no authentication, no digests), SendTargets, NOP-Out pings, logout. Enough to probe a target
 * and to test the redirector; not a SCSI transport. Not thread-safe.
 */
public final class IscsiInitiatorConnection implements Closeable {

    /** What we tell targets we accept per PDU, and the largest data segment we read. */
    static final int MAX_RECV_DATA_SEGMENT = 65536;
    private static final int MAX_TEXT_PARTS = 64;
    private static final int MAX_LOGIN_ROUNDS = 4;

    private final Socket socket;
    private final DeadlineInputStream in;
    private final OutputStream out;
    private final String initiatorName;
    private final long isid;
    private int nextTaskTag = 1;
    private int cmdSn = 1;
    private int expStatSn;

    private IscsiInitiatorConnection(Socket socket, String initiatorName) throws IOException {
        this.socket = socket;
        this.in = new DeadlineInputStream(socket);
        this.out = socket.getOutputStream();
        this.initiatorName = initiatorName;
        // ISID type 2 ("random", RFC 7143 §11.12.5): a fresh session that never reinstates another one.
        this.isid = (2L << 46) | (ThreadLocalRandom.current().nextLong() & 0x3fff_ffff_ffffL);
    }

    public static IscsiInitiatorConnection open(Portal portal, String initiatorName, Duration timeout)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(portal.host(), portal.port()), millis(timeout));
            return new IscsiInitiatorConnection(socket, initiatorName);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends one Login Request (operational stage, asking for full feature) and returns the first
     * answer as is: success, redirect or refusal. For tests and callers that want to see it.
     */
    public LoginResponse loginOnce(TextParameters keys, Duration timeout) throws IOException {
        send(new LoginRequest(true, false, LoginStage.OPERATIONAL_NEGOTIATION, LoginStage.FULL_FEATURE_PHASE, 0, 0,
                isid, 0, nextTaskTag, 0, cmdSn, expStatSn, DataSegment.of(keys)));
        return awaitLoginResponse(System.nanoTime() + timeout.toNanos());
    }

    public void loginDiscovery(Duration timeout) throws IOException {
        login(baseKeys().with("SessionType", "Discovery"), timeout);
    }

    public void loginNormal(String targetName, Duration timeout) throws IOException {
        login(baseKeys().with("SessionType", "Normal").with("TargetName", targetName), timeout);
    }

    public TextParameters baseKeys() {
        return TextParameters.of("InitiatorName", initiatorName, "HeaderDigest", "None", "DataDigest", "None",
                "MaxRecvDataSegmentLength", Integer.toString(MAX_RECV_DATA_SEGMENT));
    }

    private void login(TextParameters keys, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        LoginResponse response = loginOnce(keys, timeout);
        // A target may want another round in the operational stage (T=0); offer nothing new and ask again.
        for (int round = 1; response.status().isSuccess() && !(response.transit()
                && response.nextStage() == LoginStage.FULL_FEATURE_PHASE); round++) {
            if (round >= MAX_LOGIN_ROUNDS) {
                throw new IscsiProtocolException("target kept the login in negotiation for " + round + " rounds");
            }
            send(new LoginRequest(true, false, LoginStage.OPERATIONAL_NEGOTIATION, LoginStage.FULL_FEATURE_PHASE,
                    0, 0, isid, response.tsih(), nextTaskTag, 0, cmdSn, expStatSn, DataSegment.EMPTY));
            response = awaitLoginResponse(deadline);
        }
        if (!response.status().isSuccess()) {
            throw new IOException("login refused: " + response.status() + " " + response.data());
        }
        nextTaskTag++;
    }

    private LoginResponse awaitLoginResponse(long deadline) throws IOException {
        IscsiMessage message = receive(deadline);
        if (!(message instanceof LoginResponse response)) {
            throw new IscsiProtocolException("expected a Login Response, got " + message.toPdu().opcode());
        }
        expStatSn = response.statSn() + 1;
        return response;
    }

    /** SendTargets=All in a discovery session, joining an answer sent in parts. */
    public List<String> sendTargets(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int taskTag = nextTaskTag++;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        DataSegment request = DataSegment.of(TextParameters.of("SendTargets", "All"));
        int transferTag = IscsiMessage.RESERVED_TAG;
        for (int part = 0; part < MAX_TEXT_PARTS; part++) {
            send(new TextRequest(false, true, false, 0, taskTag, transferTag, cmdSn++, expStatSn, request));
            IscsiMessage message = receive(deadline);
            if (!(message instanceof TextResponse response) || response.initiatorTaskTag() != taskTag) {
                throw new IscsiProtocolException("expected the Text Response, got " + message.toPdu().opcode());
            }
            expStatSn = response.statSn() + 1;
            text.writeBytes(response.data().bytes());
            if (response.finalPdu()) {
                return TextParameters.decode(text.toByteArray()).getAll("TargetName");
            }
            transferTag = response.targetTransferTag();
            request = DataSegment.EMPTY;
        }
        throw new IscsiProtocolException("SendTargets answer in more than " + MAX_TEXT_PARTS + " parts");
    }

    /** One NOP-Out ping; returns the round trip. Answers the target's own pings while waiting. */
    public Duration ping(Duration timeout) throws IOException {
        int taskTag = nextTaskTag++;
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        send(NopOut.ping(taskTag, cmdSn, expStatSn, DataSegment.EMPTY));
        while (true) {
            IscsiMessage message = receive(deadline);
            if (message instanceof NopIn nopIn && nopIn.initiatorTaskTag() == taskTag) {
                Duration rtt = Duration.ofNanos(System.nanoTime() - start);
                expStatSn = nopIn.statSn() + 1;
                return rtt;
            } else if (message instanceof NopIn nopIn && nopIn.wantsAnswer()) {
                send(new NopOut(true, nopIn.lun(), IscsiMessage.RESERVED_TAG, nopIn.targetTransferTag(), cmdSn,
                        expStatSn, DataSegment.EMPTY));
            } else if (message instanceof Reject reject) {
                throw new IscsiProtocolException("ping rejected: " + reject.reason());
            }
            // anything else (an asynchronous message, a late answer) is not what we wait for
        }
    }

    /** Closes the session politely; a target that does not answer in time is simply disconnected by close(). */
    public void logout(Duration timeout) throws IOException {
        send(new LogoutRequest(true, LogoutRequest.CLOSE_SESSION, nextTaskTag++, 0, cmdSn, expStatSn));
        receive(System.nanoTime() + timeout.toNanos());
    }

    private void send(IscsiMessage message) throws IOException {
        IscsiCodec.write(out, message.toPdu());
    }

    private IscsiMessage receive(long deadline) throws IOException {
        in.deadline(deadline);
        return IscsiMessage.decode(IscsiCodec.read(in, MAX_RECV_DATA_SEGMENT)
                .orElseThrow(() -> new IOException("target closed the connection")));
    }

    public long isid() {
        return isid;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
