package io.fabricipam.dhcp.journal;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How far the store has caught up with the appends, as ticket numbers: {@link PendingChanges} gives every
 * append the next ticket, and the thread that writes the store settles tickets in order once their
 * changes are stored (or can never be: refused, failed, set aside). {@link #awaitSettled} waits on a
 * condition signalled by {@link #settle}: no polling. DHCP workers never take this lock.
 */
final class StoreProgress {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private long settled; // guarded by lock

    /** Every ticket up to {@code ticket} is settled. */
    void settle(long ticket) {
        lock.lock();
        try {
            if (ticket > settled) {
                settled = ticket;
                advanced.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code ticket} is settled; false on timeout or interrupt. */
    boolean awaitSettled(long ticket, Duration timeout) {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (settled < ticket) {
                if (left <= 0) {
                    return false;
                }
                left = advanced.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    long settled() {
        lock.lock();
        try {
            return settled;
        } finally {
            lock.unlock();
        }
    }
}
