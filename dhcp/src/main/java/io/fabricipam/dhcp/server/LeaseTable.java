package io.fabricipam.dhcp.server;

import io.fabricipam.dhcp.lease.Lease;
import java.util.function.Consumer;

/**
 * Lease rows of one scope indexed by offset in its network, in pages allocated on first use, so a /12
 * with few leases costs little and a full one costs one reference per address. Guarded by the scope lock.
 */
final class LeaseTable {

    private static final int PAGE_BITS = 12;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;

    private final Lease[][] pages;
    private int rows;

    LeaseTable(long size) {
        pages = new Lease[(int) ((size + PAGE_SIZE - 1) >>> PAGE_BITS)][];
    }

    Lease get(int offset) {
        Lease[] page = pages[offset >>> PAGE_BITS];
        return page == null ? null : page[offset & (PAGE_SIZE - 1)];
    }

    /** Stores {@code lease} at {@code offset} (null removes) and returns the previous row. */
    Lease put(int offset, Lease lease) {
        Lease[] page = pages[offset >>> PAGE_BITS];
        if (page == null) {
            if (lease == null) {
                return null;
            }
            page = pages[offset >>> PAGE_BITS] = new Lease[PAGE_SIZE];
        }
        Lease previous = page[offset & (PAGE_SIZE - 1)];
        page[offset & (PAGE_SIZE - 1)] = lease;
        rows += (previous == null ? 1 : 0) - (lease == null ? 1 : 0);
        return previous;
    }

    int rows() {
        return rows;
    }

    void forEach(Consumer<Lease> action) {
        for (Lease[] page : pages) {
            if (page != null) {
                for (Lease lease : page) {
                    if (lease != null) {
                        action.accept(lease);
                    }
                }
            }
        }
    }
}
