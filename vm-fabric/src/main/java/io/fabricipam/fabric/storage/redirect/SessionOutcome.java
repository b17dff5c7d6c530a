package io.fabricipam.fabric.storage.redirect;

/** What the redirector did with a login (or, for failback, with an established session). */
public enum SessionOutcome {
    /** Normal session sent to a target with Status 0x0101 and TargetAddress. */
    REDIRECTED,
    /** Discovery session logged in and answered SendTargets with the targets behind the redirector. */
    DISCOVERY_ANSWERED,
    /** No usable target exports the name: Status 0x0301 (service unavailable), the initiator retries later. */
    REFUSED_UNAVAILABLE,
    /** No registered target exports the name: Status 0x0203 (not found). */
    REFUSED_NOT_FOUND,
    /** The login itself was wrong (missing InitiatorName or TargetName, bad version or session type, broken text). */
    REFUSED_BAD_LOGIN,
    /** A login that started (an initiator name was seen) but never completed: timeout, disconnect or garbage. */
    ABANDONED,
    /** Failback dropped this initiator's session on a remote target so that it logs in again and lands locally. */
    DROPPED_FOR_FAILBACK,
    /** A target became unavailable and this host's connections to it were cut so that initiators reconnect elsewhere. */
    FENCED_FOR_FAILOVER
}
