package io.fabricipam.fabric.storage.redirect;

import io.fabricipam.fabric.storage.iscsi.DataSegment;
import io.fabricipam.fabric.storage.iscsi.IscsiMessage;
import io.fabricipam.fabric.storage.iscsi.IscsiName;
import io.fabricipam.fabric.storage.iscsi.IscsiPdu;
import io.fabricipam.fabric.storage.iscsi.IscsiProtocolException;
import io.fabricipam.fabric.storage.iscsi.LoginRequest;
import io.fabricipam.fabric.storage.iscsi.LoginResponse;
import io.fabricipam.fabric.storage.iscsi.LoginStage;
import io.fabricipam.fabric.storage.iscsi.LoginStatus;
import io.fabricipam.fabric.storage.iscsi.LogoutRequest;
import io.fabricipam.fabric.storage.iscsi.LogoutResponse;
import io.fabricipam.fabric.storage.iscsi.NopIn;
import io.fabricipam.fabric.storage.iscsi.NopOut;
import io.fabricipam.fabric.storage.iscsi.Reject;
import io.fabricipam.fabric.storage.iscsi.RejectReason;
import io.fabricipam.fabric.storage.iscsi.TextParameters;
import io.fabricipam.fabric.storage.iscsi.TextRequest;
import io.fabricipam.fabric.storage.iscsi.TextResponse;
import io.fabricipam.fabric.storage.target.PathChoice;
import io.fabricipam.fabric.storage.target.Portal;
import io.fabricipam.fabric.storage.text.SafeText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the redirector says on one connection, PDU by PDU. Pure: it neither reads nor writes
 * sockets (the {@link IscsiRedirector} does), so every exchange is unit-testable.
 *
 * <p>States and transitions:
 * <ul>
 *   <li>{@link State#AWAITING_LOGIN} (initial): collects the login text (Login Requests with the
 *       C bit get an empty Login Response). On the last part:
 *       <br>normal session -&gt; answer 0x0101 + TargetAddress, or 0x0301 / 0x0203 -&gt; CLOSED;
 *       <br>discovery session asking for full feature -&gt; success -&gt; DISCOVERY_FULL_FEATURE;
 *       <br>discovery session in an earlier stage -&gt; success for that stage -&gt; DISCOVERY_LOGIN;
 *       <br>anything malformed -&gt; a login error status (or a Reject for a non-login PDU) -&gt; CLOSED.</li>
 *   <li>{@link State#DISCOVERY_LOGIN}: further discovery login stages, as above, until full feature.</li>
 *   <li>{@link State#DISCOVERY_FULL_FEATURE}: SendTargets (in parts if the initiator's
 *       MaxRecvDataSegmentLength asks), NOP-Out pings and Logout (-&gt; CLOSED); other PDUs get a
 *       Reject and the session stays.</li>
 *   <li>{@link State#CLOSED} (terminal): the connection is to be closed; PDUs are ignored.</li>
 * </ul>
 * Whichever stage a normal login arrives in (libiscsi starts in the operational stage without
 * CHAP, in the security stage with it), it is answered at once: a redirect needs no negotiation.
 */
public final class LoginConversation {

    public enum State { AWAITING_LOGIN, DISCOVERY_LOGIN, DISCOVERY_FULL_FEATURE, CLOSED }

    /** PDUs to send, in order, and whether to close the connection after them. */
    public record Reply(List<IscsiPdu> send, boolean close) {
        static final Reply NOTHING = new Reply(List.of(), false);
    }

    private static final int MAX_LOGIN_TEXT = 65536;
    private static final int COMMAND_WINDOW = 8;
    private static final int DISCOVERY_TSIH = 1;
    private static final int DEFAULT_INITIATOR_MAX_RECV = 8192;

    private final LoginRouter router;
    private final Portal advertised;
    private final String client;
    private final Clock clock;
    private final Consumer<SessionRecord> sessions;
    private final int maxRecvDataSegment;

    private State state = State.AWAITING_LOGIN;
    private final ByteArrayOutputStream loginText = new ByteArrayOutputStream();
    private String initiatorName;
    private long isid;
    private int statSn = 1;
    private int expCmdSn;
    private int initiatorMaxRecv = DEFAULT_INITIATOR_MAX_RECV;
    private byte[] pendingText;
    private int pendingTransferTag = IscsiMessage.RESERVED_TAG;
    private int nextTransferTag = 1;

    public LoginConversation(LoginRouter router, Portal advertised, String client, Clock clock,
                             Consumer<SessionRecord> sessions, int maxRecvDataSegment) {
        this.router = router;
        this.advertised = advertised;
        this.client = client;
        this.clock = clock;
        this.sessions = sessions;
        this.maxRecvDataSegment = maxRecvDataSegment;
    }

    public State state() {
        return state;
    }

    public Reply onPdu(IscsiPdu pdu) {
        if (state == State.CLOSED) {
            return Reply.NOTHING;
        }
        IscsiMessage message;
        try {
            message = IscsiMessage.decode(pdu);
        } catch (IscsiProtocolException e) {
            return reject(pdu, RejectReason.PROTOCOL_ERROR, state != State.DISCOVERY_FULL_FEATURE);
        }
        return switch (state) {
            case AWAITING_LOGIN, DISCOVERY_LOGIN -> message instanceof LoginRequest login ? onLogin(login)
                    : reject(pdu, RejectReason.PROTOCOL_ERROR, true);
            case DISCOVERY_FULL_FEATURE -> onFullFeature(message, pdu);
            case CLOSED -> Reply.NOTHING;
        };
    }

    /** The connection ended (timeout, disconnect, garbage) before the conversation did: log it if it had begun. */
    public Optional<SessionRecord> abandon(String why) {
        State was = state;
        state = State.CLOSED;
        if (was == State.CLOSED || was == State.DISCOVERY_FULL_FEATURE || initiatorName == null) {
            return Optional.empty();
        }
        SessionRecord record = record(was == State.DISCOVERY_LOGIN ? "Discovery" : null, null,
                SessionOutcome.ABANDONED, null, "login never completed: " + why, null);
        sessions.accept(record);
        return Optional.of(record);
    }

    private Reply onLogin(LoginRequest login) {
        isid = login.isid();
        expCmdSn = login.cmdSn();
        if (login.versionMin() > 0) {
            return refuse(login, LoginStatus.UNSUPPORTED_VERSION, null, null, "unsupported iSCSI version "
                    + login.versionMin());
        }
        if (loginText.size() + login.data().length() > MAX_LOGIN_TEXT) {
            return refuse(login, LoginStatus.INITIATOR_ERROR, null, null, "login text over " + MAX_LOGIN_TEXT + " bytes");
        }
        loginText.writeBytes(login.data().bytes());
        if (login.continues()) {
            return send(loginResponse(login, false, LoginStatus.SUCCESS, TextParameters.EMPTY, 0));
        }
        TextParameters keys;
        try {
            keys = TextParameters.decode(loginText.toByteArray());
        } catch (IscsiProtocolException e) {
            return refuse(login, LoginStatus.INITIATOR_ERROR, null, null, "malformed login text: " + e.getMessage());
        } finally {
            loginText.reset();
        }
        if (state == State.AWAITING_LOGIN) {
            initiatorName = keys.get("InitiatorName").orElse(null);
            if (initiatorName != null && tooLong(initiatorName)) {
                initiatorName = cut(initiatorName); // what the session log keeps of it
                return refuse(login, LoginStatus.INITIATOR_ERROR, null, null,
                        "InitiatorName longer than " + IscsiName.MAX_BYTES + " bytes");
            }
        }
        String sessionType = keys.get("SessionType").orElse(state == State.DISCOVERY_LOGIN ? "Discovery" : "Normal");
        if (initiatorName == null || initiatorName.isBlank()) {
            return refuse(login, LoginStatus.MISSING_PARAMETER, cut(sessionType), null, "no InitiatorName");
        }
        keys.get("MaxRecvDataSegmentLength").ifPresent(this::initiatorMaxRecv);
        return switch (sessionType) {
            case "Normal" -> redirect(login, keys);
            case "Discovery" -> discoveryLogin(login, keys);
            default -> refuse(login, LoginStatus.SESSION_TYPE_NOT_SUPPORTED, cut(sessionType), null,
                    "session type " + SafeText.quote(sessionType) + " not supported");
        };
    }

    private Reply redirect(LoginRequest login, TextParameters keys) {
        String targetName = keys.get("TargetName").orElse(null);
        if (targetName == null || targetName.isBlank()) {
            return refuse(login, LoginStatus.MISSING_PARAMETER, "Normal", null, "no TargetName");
        }
        if (tooLong(targetName)) {
            return refuse(login, LoginStatus.INITIATOR_ERROR, "Normal", cut(targetName),
                    "TargetName longer than " + IscsiName.MAX_BYTES + " bytes");
        }
        PathChoice choice = router.route(targetName, initiatorName);
        return switch (choice.verdict()) {
            case REDIRECT -> {
                String address = choice.target().spec().portal().toString();
                sessions.accept(record("Normal", targetName, SessionOutcome.REDIRECTED, choice.target().name(),
                        choice.explanation(), address));
                state = State.CLOSED;
                // No portal group tag: libiscsi and QEMU take the value as host:port.
                yield new Reply(List.of(loginResponse(login, false, LoginStatus.TARGET_MOVED_TEMPORARILY,
                        TextParameters.of("TargetAddress", address), 0)), true);
            }
            case NO_USABLE_TARGET -> refuse(login, LoginStatus.SERVICE_UNAVAILABLE, "Normal", targetName,
                    choice.explanation());
            case UNKNOWN_TARGET_NAME -> refuse(login, LoginStatus.NOT_FOUND, "Normal", targetName,
                    choice.explanation());
        };
    }

    private Reply discoveryLogin(LoginRequest login, TextParameters keys) {
        TextParameters answer = TextParameters.EMPTY;
        if (state == State.AWAITING_LOGIN) {
            answer = answer.with("TargetPortalGroupTag", "1");
        }
        if (login.currentStage() == LoginStage.SECURITY_NEGOTIATION) {
            Optional<String> methods = keys.get("AuthMethod");
            if (methods.isPresent() && !List.of(methods.get().split(",")).contains("None")) {
                return refuse(login, LoginStatus.AUTHENTICATION_FAILURE, "Discovery", null,
                        "the redirector offers no authentication, asked for " + methods.get());
            }
            if (methods.isPresent()) {
                answer = answer.with("AuthMethod", "None");
            }
        } else if (login.currentStage() != LoginStage.OPERATIONAL_NEGOTIATION) {
            return refuse(login, LoginStatus.INITIATOR_ERROR, "Discovery", null,
                    "login in stage " + login.currentStage());
        }
        // Answer what libiscsi acts on; everything else keeps its RFC default, which suits discovery.
        if (keys.get("HeaderDigest").isPresent()) {
            answer = answer.with("HeaderDigest", "None");
        }
        if (keys.get("DataDigest").isPresent()) {
            answer = answer.with("DataDigest", "None");
        }
        answer = answer.with("MaxRecvDataSegmentLength", Integer.toString(maxRecvDataSegment));
        boolean toFullFeature = login.transit() && login.nextStage() == LoginStage.FULL_FEATURE_PHASE;
        state = toFullFeature ? State.DISCOVERY_FULL_FEATURE : State.DISCOVERY_LOGIN;
        return send(loginResponse(login, login.transit(), LoginStatus.SUCCESS, answer,
                toFullFeature ? DISCOVERY_TSIH : 0));
    }

    private Reply onFullFeature(IscsiMessage message, IscsiPdu pdu) {
        if (message instanceof TextRequest text) {
            return onText(text, pdu);
        }
        if (message instanceof NopOut nop) {
            if (nop.initiatorTaskTag() == IscsiMessage.RESERVED_TAG) {
                return Reply.NOTHING; // an answer to a ping; we never ping
            }
            return send(new NopIn(0, nop.initiatorTaskTag(), IscsiMessage.RESERVED_TAG, statSn++, expCmdSn,
                    maxCmdSn(), nop.data()).toPdu());
        }
        if (message instanceof LogoutRequest logout) {
            advance(logout.immediate(), logout.cmdSn());
            state = State.CLOSED;
            return new Reply(List.of(new LogoutResponse(0, logout.initiatorTaskTag(), statSn++, expCmdSn, maxCmdSn(),
                    0, 0).toPdu()), true);
        }
        return reject(pdu, RejectReason.COMMAND_NOT_SUPPORTED, false);
    }

    private Reply onText(TextRequest text, IscsiPdu pdu) {
        advance(text.immediate(), text.cmdSn());
        if (text.targetTransferTag() != IscsiMessage.RESERVED_TAG) {
            if (pendingText == null || text.targetTransferTag() != pendingTransferTag) {
                return reject(pdu, RejectReason.INVALID_PDU_FIELD, false);
            }
            return sendTextPart(text);
        }
        TextParameters keys;
        try {
            keys = text.parameters();
        } catch (IscsiProtocolException e) {
            return reject(pdu, RejectReason.PROTOCOL_ERROR, false);
        }
        TextParameters answer = TextParameters.EMPTY;
        List<String> listed = List.of();
        for (TextParameters.Entry key : keys.entries()) {
            if (key.key().equals("SendTargets")) {
                List<String> names = router.advertisedTargetNames();
                listed = key.value().equals("All") ? names
                        : names.stream().filter(n -> n.equals(key.value())).toList();
                for (String name : listed) {
                    // A portal group tag is required in SendTargets answers (RFC 7143 §13.3).
                    answer = answer.with("TargetName", name).with("TargetAddress", advertised + ",1");
                }
            } else {
                answer = answer.with(key.key(), "NotUnderstood");
            }
        }
        sessions.accept(record("Discovery", null, SessionOutcome.DISCOVERY_ANSWERED, null,
                "listed " + listed.size() + " target(s) behind the redirector " + advertised + ": " + listed, null));
        pendingText = answer.encode();
        return sendTextPart(text);
    }

    private Reply sendTextPart(TextRequest request) {
        int length = Math.min(pendingText.length, initiatorMaxRecv);
        byte[] part = Arrays.copyOf(pendingText, length);
        boolean last = length == pendingText.length;
        pendingText = last ? null : Arrays.copyOfRange(pendingText, length, pendingText.length);
        pendingTransferTag = last ? IscsiMessage.RESERVED_TAG : nextTransferTag++;
        return send(new TextResponse(last, false, 0, request.initiatorTaskTag(),
                pendingTransferTag, statSn++, expCmdSn, maxCmdSn(), DataSegment.of(part)).toPdu());
    }

    private Reply refuse(LoginRequest login, LoginStatus status, String sessionType, String targetName, String why) {
        SessionOutcome outcome = status.equals(LoginStatus.SERVICE_UNAVAILABLE) ? SessionOutcome.REFUSED_UNAVAILABLE
                : status.equals(LoginStatus.NOT_FOUND) ? SessionOutcome.REFUSED_NOT_FOUND
                : SessionOutcome.REFUSED_BAD_LOGIN;
        sessions.accept(record(sessionType, targetName, outcome, null, status + ": " + why, null));
        state = State.CLOSED;
        return new Reply(List.of(loginResponse(login, false, status, TextParameters.EMPTY, 0)), true);
    }

    private Reply reject(IscsiPdu pdu, RejectReason reason, boolean close) {
        if (close) {
            state = State.CLOSED;
        }
        return new Reply(List.of(Reject.of(reason, pdu, statSn++, expCmdSn, maxCmdSn()).toPdu()), close);
    }

    private IscsiPdu loginResponse(LoginRequest login, boolean transit, LoginStatus status, TextParameters keys,
                                   int tsih) {
        // Stage fields are meaningful only on success; a refusal echoes the current stage and says nothing more.
        LoginStage next = status.isSuccess() && transit ? login.nextStage() : LoginStage.SECURITY_NEGOTIATION;
        return new LoginResponse(transit, false, login.currentStage(), next, 0, 0, login.isid(), tsih,
                login.initiatorTaskTag(), statSn++, expCmdSn, maxCmdSn(), status, DataSegment.of(keys)).toPdu();
    }

    private void advance(boolean immediate, int cmdSn) {
        if (!immediate && cmdSn == expCmdSn) {
            expCmdSn++;
        }
    }

    private int maxCmdSn() {
        return expCmdSn + COMMAND_WINDOW - 1;
    }

    private void initiatorMaxRecv(String value) {
        try {
            initiatorMaxRecv = Math.max(512, Math.min(Integer.parseInt(value.strip()), 1 << 24));
        } catch (NumberFormatException e) {
            initiatorMaxRecv = DEFAULT_INITIATOR_MAX_RECV;
        }
    }

    /** Longer than any iSCSI name may be (RFC 3720 §3.2.6.1): refused, and kept short in the session log. */
    private static boolean tooLong(String name) {
        return name.length() > IscsiName.MAX_BYTES || name.getBytes(StandardCharsets.UTF_8).length > IscsiName.MAX_BYTES;
    }

    private static String cut(String value) {
        return value.length() <= IscsiName.MAX_BYTES ? value : value.substring(0, IscsiName.MAX_BYTES) + "...";
    }

    private static Reply send(IscsiPdu pdu) {
        return new Reply(List.of(pdu), false);
    }

    private SessionRecord record(String sessionType, String targetName, SessionOutcome outcome, String chosen,
                                 String reason, String address) {
        return new SessionRecord(clock.instant(), client, initiatorName, initiatorName == null ? null
                : String.format("%012x", isid), sessionType, targetName, outcome, chosen, address, reason);
    }
}
