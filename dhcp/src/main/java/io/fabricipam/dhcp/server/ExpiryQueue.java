package io.fabricipam.dhcp.server;

import java.util.Arrays;

/**
 * A min-heap of (second, offset) pairs packed in longs: when each lease row of a scope falls due.
 * Entries are never removed early; a popped entry whose row has since changed is simply skipped, which
 * keeps renewals O(log n) and the heap free of object headers (16 bytes per entry instead of ~40).
 */
final class ExpiryQueue {

    private static final int OFFSET_BITS = 24; // a /8 scope has 2^24 addresses
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;

    private long[] heap = new long[64];
    private int size;

    void add(long epochSecond, int offset) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        long key = (epochSecond << OFFSET_BITS) | offset;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= key) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = key;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Second of the earliest entry; only valid when not empty. */
    long peekSecond() {
        return heap[0] >>> OFFSET_BITS;
    }

    /** Removes the earliest entry and returns its offset. */
    int pollOffset() {
        long top = heap[0];
        long last = heap[--size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= last) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        if (size > 0) {
            heap[i] = last;
        }
        if (heap.length > 1024 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2);
        }
        return (int) (top & OFFSET_MASK);
    }

    int size() {
        return size;
    }
}
