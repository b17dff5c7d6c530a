package io.fabricipam.fabric.cluster;

/**
 * Told each time the membership changes (a host joined, left, or wrote a heartbeat or epoch), with the whole
 * new snapshot. Called on the membership's one event thread, in order; it must return quickly.
 */
@FunctionalInterface
public interface MembershipListener {
    void membershipChanged(Membership membership);
}
