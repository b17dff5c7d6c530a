package io.fabricipam.fabric.storage.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Typed messages against PDUs captured from libiscsi, QEMU and tgtd (see the captures README). */
class IscsiMessageTest {

    private static final CapturedPdus TOOLS = CapturedPdus.load("libiscsi-tools.pdus");
    private static final CapturedPdus TGTD = CapturedPdus.load("tgtd-text-nop-reject.pdus");

    private static IscsiMessage decode(byte[] bytes) throws Exception {
        return IscsiMessage.decode(IscsiCodec.read(new ByteArrayInputStream(bytes), 1 << 20).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"libiscsi-tools.pdus", "tgtd-text-nop-reject.pdus"})
    void everyTypedCapturedPduSurvivesDecodeAndEncodeByteForByte(String fixture) throws Exception {
        int typed = 0;
        for (CapturedPdus.Captured captured : CapturedPdus.load(fixture).pdus()) {
            IscsiMessage message = decode(captured.bytes());
            if (!(message instanceof IscsiMessage.Unsupported)) {
                typed++;
            }
            assertThat(message.toPdu().toBytes()).as(captured.opcode() + " of connection " + captured.connection())
                    .isEqualTo(captured.bytes());
        }
        assertThat(typed).isGreaterThan(10);
    }

    @Test
    void libiscsiStartsANormalLoginInTheOperationalStageAndAsksForFullFeature() throws Exception {
        LoginRequest login = (LoginRequest) decode(TOOLS.first(IscsiOpcode.LOGIN_REQUEST).bytes());
        assertThat(login.currentStage()).isEqualTo(LoginStage.OPERATIONAL_NEGOTIATION);
        assertThat(login.nextStage()).isEqualTo(LoginStage.FULL_FEATURE_PHASE);
        assertThat(login.transit()).isTrue();
        assertThat(login.continues()).isFalse();
        assertThat(login.versionMax()).isZero();
        assertThat(login.versionMin()).isZero();
        assertThat(login.tsih()).isZero();
        assertThat(login.isid() >>> 46).as("ISID type 2: random").isEqualTo(2);
        TextParameters keys = login.parameters();
        assertThat(keys.get("InitiatorName")).contains("iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-inq");
        assertThat(keys.get("TargetName")).contains("iqn.2024-01.io.fabricipam:disk1");
        assertThat(keys.get("SessionType")).contains("Normal");
        assertThat(keys.get("HeaderDigest")).contains("None,CRC32C");
        assertThat(keys.get("AuthMethod")).isEmpty();
    }

    @Test
    void tgtdAcceptsTheLoginWithASessionHandleAndEchoesTheTags() throws Exception {
        LoginRequest request = (LoginRequest) decode(TOOLS.first(IscsiOpcode.LOGIN_REQUEST).bytes());
        LoginResponse response = (LoginResponse) decode(TOOLS.first(IscsiOpcode.LOGIN_RESPONSE).bytes());
        assertThat(response.status()).isEqualTo(LoginStatus.SUCCESS);
        assertThat(response.transit()).isTrue();
        assertThat(response.nextStage()).isEqualTo(LoginStage.FULL_FEATURE_PHASE);
        assertThat(response.isid()).isEqualTo(request.isid());
        assertThat(response.initiatorTaskTag()).isEqualTo(request.initiatorTaskTag());
        assertThat(response.tsih()).isNotZero();
        assertThat(response.expCmdSn()).isEqualTo(request.cmdSn());
        assertThat(response.parameters().get("TargetPortalGroupTag")).contains("1");
    }

    @Test
    void discoveryAnswersSendTargetsWithTheTargetAndItsPortal() throws Exception {
        TextRequest request = (TextRequest) decode(TOOLS.first(IscsiOpcode.TEXT_REQUEST).bytes());
        assertThat(request.immediate()).isTrue();
        assertThat(request.finalPdu()).isTrue();
        assertThat(request.targetTransferTag()).isEqualTo(IscsiMessage.RESERVED_TAG);
        assertThat(request.parameters().get("SendTargets")).contains("All");

        TextResponse response = (TextResponse) decode(TOOLS.first(IscsiOpcode.TEXT_RESPONSE).bytes());
        assertThat(response.finalPdu()).isTrue();
        TextParameters answer = response.data().parameters();
        assertThat(answer.getAll("TargetName")).containsExactly("iqn.2024-01.io.fabricipam:disk1");
        assertThat(answer.getAll("TargetAddress")).containsExactly("127.0.0.1:13261,1");
    }

    @Test
    void aLongSendTargetsAnswerComesInPartsThatJoinIntoText() throws Exception {
        List<CapturedPdus.Captured> parts = TGTD.withOpcode(IscsiOpcode.TEXT_RESPONSE);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int tag = 0;
        for (int i = 0; i < parts.size(); i++) {
            TextResponse part = (TextResponse) decode(parts.get(i).bytes());
            boolean last = i == parts.size() - 1;
            assertThat(part.finalPdu()).isEqualTo(last);
            if (!last) {
                assertThat(part.targetTransferTag()).isNotEqualTo(IscsiMessage.RESERVED_TAG);
                tag = part.targetTransferTag();
                assertThat(part.data().length()).isEqualTo(512);
            }
            text.writeBytes(part.data().bytes());
        }
        assertThat(tag).isNotZero();
        // A part on its own may end in the middle of a pair, which is malformed text...
        TextResponse first = (TextResponse) decode(parts.get(0).bytes());
        assertThatThrownBy(() -> first.data().parameters()).isInstanceOf(IscsiProtocolException.class);
        // ...while the joined parts list all 13 targets.
        TextParameters all = TextParameters.decode(text.toByteArray());
        assertThat(all.getAll("TargetName")).hasSize(13).contains("iqn.2024-01.io.fabricipam:disk1");
        assertThat(all.getAll("TargetAddress")).hasSize(13).allMatch(a -> a.equals("127.0.0.1:13261,1"));
    }

    @Test
    void tgtdRejectsATransferTagItNeverIssuedQuotingTheHeader() throws Exception {
        Reject reject = (Reject) decode(TGTD.first(IscsiOpcode.REJECT).bytes());
        assertThat(reject.reason()).isEqualTo(RejectReason.INVALID_PDU_FIELD);
        assertThat(reject.rejectedHeader().length()).isEqualTo(48);
        IscsiPdu quoted = IscsiPdu.of(reject.rejectedHeader().bytes(), new byte[0], new byte[0]);
        assertThat(quoted.opcode()).isEqualTo(IscsiOpcode.TEXT_REQUEST);
        assertThat(quoted.u32(20)).isEqualTo(0x1234);
    }

    @Test
    void nopPingsFromBothSides() throws Exception {
        NopOut ping = (NopOut) decode(TGTD.pdus().stream().filter(p -> p.connection() == 1)
                .filter(p -> p.opcode().equals(IscsiOpcode.NOP_OUT)).toList().get(1).bytes());
        assertThat(ping.targetTransferTag()).isEqualTo(IscsiMessage.RESERVED_TAG);
        assertThat(new String(ping.data().bytes(), StandardCharsets.US_ASCII)).isEqualTo("ping");
        NopIn pong = (NopIn) decode(TGTD.pdus().stream().filter(p -> p.connection() == 1)
                .filter(p -> p.opcode().equals(IscsiOpcode.NOP_IN)).toList().get(1).bytes());
        assertThat(pong.initiatorTaskTag()).isEqualTo(ping.initiatorTaskTag());
        assertThat(pong.data()).isEqualTo(ping.data());
        assertThat(pong.wantsAnswer()).isFalse();

        // tgtd's own pings (nop_interval) to QEMU, and QEMU's answers
        NopIn targetPing = (NopIn) decode(TGTD.pdus().stream().filter(p -> p.connection() == 2)
                .filter(p -> p.opcode().equals(IscsiOpcode.NOP_IN)).findFirst().orElseThrow().bytes());
        assertThat(targetPing.wantsAnswer()).isTrue();
        assertThat(targetPing.initiatorTaskTag()).isEqualTo(IscsiMessage.RESERVED_TAG);
        NopOut answer = (NopOut) decode(TGTD.pdus().stream().filter(p -> p.connection() == 2)
                .filter(p -> p.opcode().equals(IscsiOpcode.NOP_OUT)).findFirst().orElseThrow().bytes());
        assertThat(answer.targetTransferTag()).isEqualTo(targetPing.targetTransferTag());
        assertThat(answer.initiatorTaskTag()).isEqualTo(IscsiMessage.RESERVED_TAG);
    }

    @Test
    void logoutClosesTheSession() throws Exception {
        LogoutRequest request = (LogoutRequest) decode(TOOLS.first(IscsiOpcode.LOGOUT_REQUEST).bytes());
        assertThat(request.reasonCode()).isEqualTo(LogoutRequest.CLOSE_SESSION);
        LogoutResponse response = (LogoutResponse) decode(TOOLS.first(IscsiOpcode.LOGOUT_RESPONSE).bytes());
        assertThat(response.response()).isZero();
        assertThat(response.initiatorTaskTag()).isEqualTo(request.initiatorTaskTag());
    }

    @Test
    void aRedirectCarriesTheNewAddressWithoutAPortalTag() throws Exception {
        LoginResponse redirect = new LoginResponse(false, false, LoginStage.OPERATIONAL_NEGOTIATION,
                LoginStage.SECURITY_NEGOTIATION, 0, 0, 0x80123456789aL, 0, 0x11223344, 0, 5, 5,
                LoginStatus.TARGET_MOVED_TEMPORARILY, DataSegment.of(TextParameters.of("TargetAddress", "127.0.0.1:3260")));
        byte[] wire = redirect.toPdu().toBytes();
        assertThat(HexFormat.of().formatHex(wire, 0, 48)).isEqualTo(
                "230400000000001d" + "80123456789a0000" + "1122334400000000" + "0000000000000005"
                        + "0000000501010000" + "0000000000000000");
        assertThat(new String(wire, 48, 29, StandardCharsets.US_ASCII)).isEqualTo("TargetAddress=127.0.0.1:3260\0");
        assertThat(decode(wire)).isEqualTo(redirect);
    }

    @Test
    void anAdditionalHeaderOnALoginIsRefused() {
        byte[] header = new byte[48];
        header[0] = 0x43;
        IscsiPdu withAhs = IscsiPdu.of(header, new byte[8], new byte[0]);
        assertThatThrownBy(() -> IscsiMessage.decode(withAhs)).isInstanceOf(IscsiProtocolException.class);
    }
}
