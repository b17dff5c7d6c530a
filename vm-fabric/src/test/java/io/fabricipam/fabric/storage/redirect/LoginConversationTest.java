package io.fabricipam.fabric.storage.redirect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.fabric.storage.iscsi.CapturedPdus;
import io.fabricipam.fabric.storage.iscsi.DataSegment;
import io.fabricipam.fabric.storage.iscsi.IscsiMessage;
import io.fabricipam.fabric.storage.iscsi.IscsiOpcode;
import io.fabricipam.fabric.storage.iscsi.IscsiPdu;
import io.fabricipam.fabric.storage.iscsi.LoginRequest;
import io.fabricipam.fabric.storage.iscsi.LoginResponse;
import io.fabricipam.fabric.storage.iscsi.LoginStage;
import io.fabricipam.fabric.storage.iscsi.LoginStatus;
import io.fabricipam.fabric.storage.iscsi.LogoutResponse;
import io.fabricipam.fabric.storage.iscsi.NopIn;
import io.fabricipam.fabric.storage.iscsi.NopOut;
import io.fabricipam.fabric.storage.iscsi.Reject;
import io.fabricipam.fabric.storage.iscsi.RejectReason;
import io.fabricipam.fabric.storage.iscsi.TextParameters;
import io.fabricipam.fabric.storage.iscsi.TextRequest;
import io.fabricipam.fabric.storage.iscsi.TextResponse;
import io.fabricipam.fabric.storage.target.HealthState;
import io.fabricipam.fabric.storage.target.LatencySummary;
import io.fabricipam.fabric.storage.target.PathChoice;
import io.fabricipam.fabric.storage.target.Portal;
import io.fabricipam.fabric.storage.target.TargetSpec;
import io.fabricipam.fabric.storage.target.TargetStatus;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LoginConversationTest {

    private static final String IQN = "iqn.2024-01.io.fabricipam:disk1";
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final CapturedPdus LIBISCSI = CapturedPdus.load("libiscsi-tools.pdus");
    private static final TargetStatus LOCAL = new TargetStatus(
            new TargetSpec("local", Portal.parse("127.0.0.1:13260"), true, List.of(IQN), null),
            HealthState.HEALTHY, NOW, "5 good pings in a row", LatencySummary.NONE, List.of(IQN));

    private final List<SessionRecord> records = new ArrayList<>();
    private PathChoice choice = new PathChoice(PathChoice.Verdict.REDIRECT, LOCAL, "local target 'local' healthy");
    private List<String> advertised = List.of(IQN);
    private final LoginRouter router = new LoginRouter() {
        @Override
        public PathChoice route(String targetName, String initiatorName) {
            return choice;
        }

        @Override
        public List<String> advertisedTargetNames() {
            return advertised;
        }
    };
    private final LoginConversation conversation = new LoginConversation(router, Portal.parse("127.0.0.1:3261"),
            "127.0.0.1:40000", Clock.fixed(NOW, ZoneOffset.UTC), records::add, 8192);

    private static IscsiPdu captured(IscsiOpcode opcode, int connection) {
        return IscsiPdu.of(Arrays.copyOf(first(opcode, connection), 48), new byte[0],
                Arrays.copyOfRange(first(opcode, connection), 48, 48 + dataLength(first(opcode, connection))));
    }

    private static byte[] first(IscsiOpcode opcode, int connection) {
        return LIBISCSI.withOpcode(opcode).stream().filter(p -> p.connection() == connection).findFirst()
                .orElseThrow().bytes();
    }

    private static int dataLength(byte[] pdu) {
        return ((pdu[5] & 0xff) << 16) | ((pdu[6] & 0xff) << 8) | (pdu[7] & 0xff);
    }

    private static IscsiMessage only(LoginConversation.Reply reply) throws Exception {
        assertThat(reply.send()).hasSize(1);
        return IscsiMessage.decode(reply.send().get(0));
    }

    @Test
    void redirectsIscsiInqsRealLoginToTheChosenTargetWithoutAPortalTag() throws Exception {
        IscsiPdu login = captured(IscsiOpcode.LOGIN_REQUEST, 0); // iscsi-inq, CSG=1, T=1, NSG=3
        LoginRequest request = (LoginRequest) IscsiMessage.decode(login);
        LoginConversation.Reply reply = conversation.onPdu(login);

        assertThat(reply.close()).isTrue();
        assertThat(conversation.state()).isEqualTo(LoginConversation.State.CLOSED);
        LoginResponse response = (LoginResponse) only(reply);
        assertThat(response.status()).isEqualTo(LoginStatus.TARGET_MOVED_TEMPORARILY);
        assertThat(response.status().code()).isEqualTo(0x0101);
        assertThat(response.parameters()).isEqualTo(TextParameters.of("TargetAddress", "127.0.0.1:13260"));
        assertThat(response.isid()).isEqualTo(request.isid());
        assertThat(response.initiatorTaskTag()).isEqualTo(request.initiatorTaskTag());
        assertThat(response.tsih()).isZero();
        assertThat(response.transit()).isFalse();

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(SessionOutcome.REDIRECTED);
            assertThat(r.initiatorName()).isEqualTo("iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-inq");
            assertThat(r.isid()).isEqualTo(String.format("%012x", request.isid()));
            assertThat(r.sessionType()).isEqualTo("Normal");
            assertThat(r.targetName()).isEqualTo(IQN);
            assertThat(r.chosenTarget()).isEqualTo("local");
            assertThat(r.targetAddress()).isEqualTo("127.0.0.1:13260");
            assertThat(r.reason()).isEqualTo("local target 'local' healthy");
            assertThat(r.at()).isEqualTo(NOW);
            assertThat(r.client()).isEqualTo("127.0.0.1:40000");
        });
    }

    @Test
    void refusesWithServiceUnavailableWhenNoTargetIsUsable() throws Exception {
        choice = new PathChoice(PathChoice.Verdict.NO_USABLE_TARGET, null, "no usable target for " + IQN);
        LoginConversation.Reply reply = conversation.onPdu(captured(IscsiOpcode.LOGIN_REQUEST, 0));
        assertThat(reply.close()).isTrue();
        LoginResponse response = (LoginResponse) only(reply);
        assertThat(response.status()).isEqualTo(LoginStatus.SERVICE_UNAVAILABLE);
        assertThat(response.data().isEmpty()).isTrue();
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(SessionOutcome.REFUSED_UNAVAILABLE);
            assertThat(r.reason()).isEqualTo("0x0301 (service unavailable): no usable target for " + IQN);
        });
    }

    @Test
    void refusesAnUnknownTargetNameWithNotFound() throws Exception {
        choice = new PathChoice(PathChoice.Verdict.UNKNOWN_TARGET_NAME, null, "no registered target exports it");
        LoginResponse response = (LoginResponse) only(conversation.onPdu(captured(IscsiOpcode.LOGIN_REQUEST, 0)));
        assertThat(response.status()).isEqualTo(LoginStatus.NOT_FOUND);
        assertThat(records).singleElement().extracting(SessionRecord::outcome).isEqualTo(SessionOutcome.REFUSED_NOT_FOUND);
    }

    @Test
    void servesIscsiLsDiscoveryItselfNamingTheRedirector() throws Exception {
        LoginResponse login = (LoginResponse) only(conversation.onPdu(captured(IscsiOpcode.LOGIN_REQUEST, 1)));
        assertThat(login.status()).isEqualTo(LoginStatus.SUCCESS);
        assertThat(login.transit()).isTrue();
        assertThat(login.nextStage()).isEqualTo(LoginStage.FULL_FEATURE_PHASE);
        assertThat(login.tsih()).isNotZero();
        assertThat(login.parameters().get("HeaderDigest")).contains("None");
        assertThat(login.parameters().get("DataDigest")).contains("None");
        assertThat(conversation.state()).isEqualTo(LoginConversation.State.DISCOVERY_FULL_FEATURE);

        advertised = List.of(IQN, "iqn.2024-01.io.fabricipam:disk2");
        TextResponse text = (TextResponse) only(conversation.onPdu(captured(IscsiOpcode.TEXT_REQUEST, 1)));
        assertThat(text.finalPdu()).isTrue();
        assertThat(text.data().parameters()).isEqualTo(TextParameters.of(
                "TargetName", IQN, "TargetAddress", "127.0.0.1:3261,1",
                "TargetName", "iqn.2024-01.io.fabricipam:disk2", "TargetAddress", "127.0.0.1:3261,1"));
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(SessionOutcome.DISCOVERY_ANSWERED);
            assertThat(r.sessionType()).isEqualTo("Discovery");
            assertThat(r.initiatorName()).isEqualTo("iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-ls");
        });

        IscsiPdu logout = IscsiPdu.of(Arrays.copyOf(LIBISCSI.withOpcode(IscsiOpcode.LOGOUT_REQUEST).stream()
                .filter(p -> p.connection() == 0).findFirst().orElseThrow().bytes(), 48), new byte[0], new byte[0]);
        LoginConversation.Reply bye = conversation.onPdu(logout);
        assertThat(only(bye)).isInstanceOf(LogoutResponse.class);
        assertThat(bye.close()).isTrue();
        assertThat(conversation.state()).isEqualTo(LoginConversation.State.CLOSED);
    }

    @Test
    void redirectsANormalLoginThatStartsInTheSecurityStage() throws Exception {
        LoginResponse response = (LoginResponse) only(conversation.onPdu(login(LoginStage.SECURITY_NEGOTIATION,
                LoginStage.OPERATIONAL_NEGOTIATION, false, TextParameters.of("InitiatorName", "iqn.i:1",
                        "TargetName", IQN, "AuthMethod", "CHAP,None"))));
        assertThat(response.status()).isEqualTo(LoginStatus.TARGET_MOVED_TEMPORARILY);
    }

    @Test
    void walksADiscoveryLoginThroughTheSecurityStage() throws Exception {
        LoginResponse security = (LoginResponse) only(conversation.onPdu(login(LoginStage.SECURITY_NEGOTIATION,
                LoginStage.OPERATIONAL_NEGOTIATION, false, TextParameters.of("InitiatorName", "iqn.i:1",
                        "SessionType", "Discovery", "AuthMethod", "None"))));
        assertThat(security.status()).isEqualTo(LoginStatus.SUCCESS);
        assertThat(security.parameters().get("AuthMethod")).contains("None");
        assertThat(security.nextStage()).isEqualTo(LoginStage.OPERATIONAL_NEGOTIATION);
        assertThat(security.tsih()).isZero();
        assertThat(conversation.state()).isEqualTo(LoginConversation.State.DISCOVERY_LOGIN);

        LoginResponse operational = (LoginResponse) only(conversation.onPdu(login(LoginStage.OPERATIONAL_NEGOTIATION,
                LoginStage.FULL_FEATURE_PHASE, false, TextParameters.of("HeaderDigest", "None"))));
        assertThat(operational.status()).isEqualTo(LoginStatus.SUCCESS);
        assertThat(operational.nextStage()).isEqualTo(LoginStage.FULL_FEATURE_PHASE);
        assertThat(conversation.state()).isEqualTo(LoginConversation.State.DISCOVERY_FULL_FEATURE);
    }

    @Test
    void refusesDiscoveryThatInsistsOnChap() throws Exception {
        LoginResponse response = (LoginResponse) only(conversation.onPdu(login(LoginStage.SECURITY_NEGOTIATION,
                LoginStage.OPERATIONAL_NEGOTIATION, false, TextParameters.of("InitiatorName", "iqn.i:1",
                        "SessionType", "Discovery", "AuthMethod", "CHAP"))));
        assertThat(response.status()).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void joinsLoginTextSentInPartsWithTheContinueBit() throws Exception {
        byte[] text = TextParameters.of("InitiatorName", "iqn.2024-01.io.example:split", "TargetName", IQN).encode();
        int cut = 20; // inside the first pair
        LoginConversation.Reply first = conversation.onPdu(login(LoginStage.OPERATIONAL_NEGOTIATION,
                LoginStage.FULL_FEATURE_PHASE, true, Arrays.copyOf(text, cut)));
        LoginResponse empty = (LoginResponse) only(first);
        assertThat(empty.status()).isEqualTo(LoginStatus.SUCCESS);
        assertThat(empty.data().isEmpty()).isTrue();
        assertThat(first.close()).isFalse();
        assertThat(records).isEmpty();

        LoginResponse redirect = (LoginResponse) only(conversation.onPdu(login(LoginStage.OPERATIONAL_NEGOTIATION,
                LoginStage.FULL_FEATURE_PHASE, false, Arrays.copyOfRange(text, cut, text.length))));
        assertThat(redirect.status()).isEqualTo(LoginStatus.TARGET_MOVED_TEMPORARILY);
        assertThat(records).singleElement().extracting(SessionRecord::initiatorName)
                .isEqualTo("iqn.2024-01.io.example:split");
    }

    @Test
    void refusesBadLoginsWithTheMatchingStatus() throws Exception {
        assertRefusal(TextParameters.of("TargetName", IQN), LoginStatus.MISSING_PARAMETER);
        assertRefusal(TextParameters.of("InitiatorName", "iqn.i:1"), LoginStatus.MISSING_PARAMETER);
        assertRefusal(TextParameters.of("InitiatorName", "iqn.i:1", "SessionType", "Other"),
                LoginStatus.SESSION_TYPE_NOT_SUPPORTED);
        LoginConversation fresh = fresh();
        LoginResponse garbage = (LoginResponse) only(fresh.onPdu(login(LoginStage.OPERATIONAL_NEGOTIATION,
                LoginStage.FULL_FEATURE_PHASE, false, "no pairs here".getBytes())));
        assertThat(garbage.status()).isEqualTo(LoginStatus.INITIATOR_ERROR);
        LoginRequest newer = new LoginRequest(true, false, LoginStage.OPERATIONAL_NEGOTIATION,
                LoginStage.FULL_FEATURE_PHASE, 2, 1, 1L << 47, 0, 1, 0, 1, 0,
                DataSegment.of(TextParameters.of("InitiatorName", "iqn.i:1", "TargetName", IQN)));
        assertThat(((LoginResponse) only(fresh().onPdu(newer.toPdu()))).status()).isEqualTo(LoginStatus.UNSUPPORTED_VERSION);
        assertThat(records).extracting(SessionRecord::outcome).contains(SessionOutcome.REFUSED_BAD_LOGIN);
    }

    private void assertRefusal(TextParameters keys, LoginStatus expected) throws Exception {
        LoginConversation.Reply reply = fresh().onPdu(login(LoginStage.OPERATIONAL_NEGOTIATION,
                LoginStage.FULL_FEATURE_PHASE, false, keys));
        assertThat(((LoginResponse) only(reply)).status()).isEqualTo(expected);
        assertThat(reply.close()).isTrue();
    }

    @Test
    void rejectsAnythingButALoginBeforeLoginAndCloses() throws Exception {
        IscsiPdu nop = NopOut.ping(5, 1, 1, DataSegment.EMPTY).toPdu();
        LoginConversation.Reply reply = conversation.onPdu(nop);
        Reject reject = (Reject) only(reply);
        assertThat(reject.reason()).isEqualTo(RejectReason.PROTOCOL_ERROR);
        assertThat(reject.rejectedHeader().bytes()).isEqualTo(nop.bhs());
        assertThat(reply.close()).isTrue();
        assertThat(records).isEmpty();
    }

    @Test
    void sendsALongTargetListInPartsTheInitiatorCanTake() throws Exception {
        advertised = IntStream.range(0, 40).mapToObj(i -> "iqn.2024-01.io.fabricipam:volume-" + i).toList();
        only(conversation.onPdu(login(LoginStage.OPERATIONAL_NEGOTIATION, LoginStage.FULL_FEATURE_PHASE, false,
                TextParameters.of("InitiatorName", "iqn.i:1", "SessionType", "Discovery",
                        "MaxRecvDataSegmentLength", "512"))));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        TextResponse part = (TextResponse) only(conversation.onPdu(text(IscsiMessage.RESERVED_TAG,
                TextParameters.of("SendTargets", "All"))));
        int parts = 1;
        while (!part.finalPdu()) {
            assertThat(part.data().length()).isEqualTo(512);
            joined.writeBytes(part.data().bytes());
            part = (TextResponse) only(conversation.onPdu(text(part.targetTransferTag(), TextParameters.EMPTY)));
            parts++;
        }
        joined.writeBytes(part.data().bytes());
        assertThat(parts).isGreaterThan(3);
        assertThat(TextParameters.decode(joined.toByteArray()).getAll("TargetName")).isEqualTo(advertised);

        Reject stale = (Reject) only(conversation.onPdu(text(0x777, TextParameters.EMPTY)));
        assertThat(stale.reason()).isEqualTo(RejectReason.INVALID_PDU_FIELD);
        assertThat(conversation.state()).isEqualTo(LoginConversation.State.DISCOVERY_FULL_FEATURE);
    }

    @Test
    void answersPingsAndRejectsScsiInADiscoverySession() throws Exception {
        conversation.onPdu(captured(IscsiOpcode.LOGIN_REQUEST, 1));
        NopIn pong = (NopIn) only(conversation.onPdu(NopOut.ping(42, 2, 2, DataSegment.of(new byte[] {7})).toPdu()));
        assertThat(pong.initiatorTaskTag()).isEqualTo(42);
        assertThat(pong.data()).isEqualTo(DataSegment.of(new byte[] {7}));
        IscsiPdu scsi = captured(IscsiOpcode.SCSI_COMMAND, 0);
        Reject reject = (Reject) only(conversation.onPdu(scsi));
        assertThat(reject.reason()).isEqualTo(RejectReason.COMMAND_NOT_SUPPORTED);
        assertThat(conversation.state()).isEqualTo(LoginConversation.State.DISCOVERY_FULL_FEATURE);
    }

    @Test
    void logsAnAbandonedLoginOnlyIfItHadBegun() {
        assertThat(fresh().abandon("timed out")).isEmpty();
        byte[] text = TextParameters.of("InitiatorName", "iqn.i:slow", "TargetName", IQN).encode();
        conversation.onPdu(login(LoginStage.OPERATIONAL_NEGOTIATION, LoginStage.FULL_FEATURE_PHASE, true, text));
        // the C bit means more text is coming, and the initiator name is only known once it is complete
        assertThat(conversation.abandon("timed out")).isEmpty();

        LoginConversation discovery = fresh();
        discovery.onPdu(login(LoginStage.SECURITY_NEGOTIATION, LoginStage.OPERATIONAL_NEGOTIATION, false,
                TextParameters.of("InitiatorName", "iqn.i:slow", "SessionType", "Discovery")));
        assertThat(discovery.abandon("timed out")).hasValueSatisfying(r -> {
            assertThat(r.outcome()).isEqualTo(SessionOutcome.ABANDONED);
            assertThat(r.reason()).isEqualTo("login never completed: timed out");
        });
    }

    private LoginConversation fresh() {
        return new LoginConversation(router, Portal.parse("127.0.0.1:3261"), "127.0.0.1:40001",
                Clock.fixed(NOW, ZoneOffset.UTC), records::add, 8192);
    }

    private static IscsiPdu login(LoginStage current, LoginStage next, boolean continues, TextParameters keys) {
        return login(current, next, continues, keys.encode());
    }

    private static IscsiPdu login(LoginStage current, LoginStage next, boolean continues, byte[] text) {
        return new LoginRequest(!continues, continues, current, next, 0, 0, 0x800000000001L, 0, 9, 0, 1, 0,
                DataSegment.of(text)).toPdu();
    }

    private static IscsiPdu text(int transferTag, TextParameters keys) {
        return new TextRequest(true, true, false, 0, 77, transferTag, 2, 2, DataSegment.of(keys)).toPdu();
    }
}
