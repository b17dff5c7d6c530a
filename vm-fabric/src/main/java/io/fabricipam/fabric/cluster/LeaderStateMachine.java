package io.fabricipam.fabric.cluster;

import java.time.Duration;

/**
 * This host's role as a pure state machine: events from the latch, the epoch claim and the ZooKeeper
 * connection in, the new {@link LeaderStatus} and what to do next out. No threads, no Curator: {@link Leadership}
 * feeds it under one lock and carries out the {@link Action}s.
 *
 * <p>Transitions (any event in CLOSED is ignored):
 * <pre>
 * FOLLOWER  --latchAcquired-->           CLAIMING   (CLAIM with a new ticket)
 * CLAIMING  --claimSucceeded(ticket)-->  LEADING(epoch)      only for the current ticket; a late answer to an
 *                                                            older claim is ignored
 * CLAIMING  --claimFailed(ticket)-->     FOLLOWER   (GIVE_BACK the latch, rejoin after a growing back-off)
 * CLAIMING, LEADING --latchReleased-->   FOLLOWER
 * FOLLOWER, CLAIMING, LEADING --suspended or lost--> SUSPENDED   (the claim in flight, if any, no longer counts)
 * SUSPENDED --reconnected-->             CLAIMING (CLAIM) if the latch is held again, else FOLLOWER
 * any       --close-->                   CLOSED
 * </pre>
 * The latch may report itself held while SUSPENDED (it rechecks its node as soon as the connection is back,
 * possibly before this machine hears of the reconnection): that is remembered and claimed on reconnection.
 * LEADING is reached only through a successful claim, so every period of leadership has its own epoch.
 */
public final class LeaderStateMachine {

    /** What {@link Leadership} must do after a step. */
    public enum Action {
        NONE,
        /** Call the {@link EpochClaim} and report its result with {@link Step#ticket()}. */
        CLAIM,
        /** Close the latch (leaving the election) and join again with a new one after {@link Step#backoff()}. */
        GIVE_BACK
    }

    /**
     * One transition.
     *
     * @param before   the status before the event
     * @param after    the status after it (equal to before when nothing changed)
     * @param action   what to do now
     * @param ticket   the claim's ticket for CLAIM
     * @param backoff  how long to stay out of the election for GIVE_BACK
     */
    public record Step(LeaderStatus before, LeaderStatus after, Action action, long ticket, Duration backoff) {

        public boolean changed() {
            return !before.equals(after);
        }
    }

    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private LeaderStatus status = LeaderStatus.FOLLOWER;
    private boolean latchHeld;
    private long ticket;
    private int failedClaims;

    /**
     * @param firstBackoff  how long the first failed claim keeps this host out of the election; each further
     *                      failure in a row doubles it
     * @param maxBackoff    the bound of that doubling
     */
    public LeaderStateMachine(Duration firstBackoff, Duration maxBackoff) {
        if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("back-off must be 0 <= first <= max");
        }
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
    }

    public LeaderStatus status() {
        return status;
    }

    /** How many claims failed in a row (reset by a successful one). */
    public int failedClaims() {
        return failedClaims;
    }

    public Step latchAcquired() {
        if (status.phase() == LeaderPhase.CLOSED) {
            return stay();
        }
        latchHeld = true;
        return status.phase() == LeaderPhase.FOLLOWER ? claim() : stay();
    }

    public Step latchReleased() {
        if (status.phase() == LeaderPhase.CLOSED) {
            return stay();
        }
        latchHeld = false;
        LeaderPhase phase = status.phase();
        return phase == LeaderPhase.CLAIMING || phase == LeaderPhase.LEADING ? move(LeaderStatus.FOLLOWER) : stay();
    }

    public Step claimSucceeded(long claimTicket, long epoch) {
        if (!currentClaim(claimTicket)) {
            return stay();
        }
        if (epoch < 0) {
            return claimFailed(claimTicket);
        }
        failedClaims = 0;
        return move(LeaderStatus.leading(epoch));
    }

    public Step claimFailed(long claimTicket) {
        if (!currentClaim(claimTicket)) {
            return stay();
        }
        latchHeld = false;
        failedClaims++;
        LeaderStatus before = status;
        status = LeaderStatus.FOLLOWER;
        return new Step(before, status, Action.GIVE_BACK, claimTicket, backoff(failedClaims));
    }

    /** The connection is SUSPENDED, or the session LOST: either way this host may no longer lead. */
    public Step connectionInterrupted() {
        if (status.phase() == LeaderPhase.CLOSED) {
            return stay();
        }
        ticket++; // a claim still running belongs to the leadership that just ended
        return move(LeaderStatus.SUSPENDED);
    }

    public Step reconnected() {
        if (status.phase() != LeaderPhase.SUSPENDED) {
            return stay();
        }
        return latchHeld ? claim() : move(LeaderStatus.FOLLOWER);
    }

    public Step close() {
        return move(LeaderStatus.CLOSED);
    }

    private boolean currentClaim(long claimTicket) {
        return status.phase() == LeaderPhase.CLAIMING && claimTicket == ticket;
    }

    private Step claim() {
        LeaderStatus before = status;
        status = LeaderStatus.CLAIMING;
        ticket++;
        return new Step(before, status, Action.CLAIM, ticket, Duration.ZERO);
    }

    private Step move(LeaderStatus after) {
        LeaderStatus before = status;
        status = after;
        return new Step(before, after, Action.NONE, 0, Duration.ZERO);
    }

    private Step stay() {
        return new Step(status, status, Action.NONE, 0, Duration.ZERO);
    }

    Duration backoff(int failures) {
        Duration backoff = firstBackoff;
        for (int i = 1; i < failures && backoff.compareTo(maxBackoff) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }
}
