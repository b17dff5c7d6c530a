package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.codec.DhcpReply;
import io.fabricipam.dhcp.codec.DropReason;
import io.fabricipam.dhcp.store.LeaseChange;
import java.util.List;

/**
 * What the responder decided for one request: the reply to send (or null), the lease changes it implies,
 * and, when there is no reply, why ({@code silence} null means a message that needs none: RELEASE, DECLINE).
 */
public record Decision(DhcpReply reply, List<LeaseChange> changes, DropReason silence) {

    public Decision {
        changes = List.copyOf(changes);
    }

    static Decision reply(DhcpReply reply, List<LeaseChange> changes) {
        return new Decision(reply, changes, null);
    }

    static Decision silent(DropReason reason, List<LeaseChange> changes) {
        return new Decision(null, changes, reason);
    }

    static Decision handled(List<LeaseChange> changes) {
        return new Decision(null, changes, null);
    }

    public boolean needsCommitBeforeReply() {
        return reply != null && changes.stream().anyMatch(LeaseChange::durable);
    }
}
