package io.fabricipam.dhcp.alloc;

/**
 * The set of free offsets in a scope, as a 64-ary tree of bitmaps: level 0 has one bit per address, and
 * each bit of level k+1 says whether the matching 64-bit word of level k has any bit set. Finding the next
 * free address from a cursor climbs until a word with a set bit is found and descends by lowest set bit:
 * at most 2 x log64(size) word operations (8 for a /8 of 16 M addresses), however full the scope is.
 * Memory: about size/8 bytes (128 KiB for a /12). Not thread-safe: the scope's lock guards it.
 */
public final class FreeAddressSet {

    private final int size;
    private final long[][] levels;
    private int count;

    public FreeAddressSet(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive");
        }
        this.size = size;
        int depth = 1;
        for (long n = (size + 63L) >>> 6; n > 1; n = (n + 63) >>> 6) {
            depth++;
        }
        levels = new long[depth][];
        long words = (size + 63L) >>> 6;
        for (int level = 0; level < depth; level++) {
            levels[level] = new long[(int) words];
            words = (words + 63) >>> 6;
        }
    }

    public int size() {
        return size;
    }

    public int count() {
        return count;
    }

    public boolean contains(int offset) {
        checkIndex(offset);
        return (levels[0][offset >>> 6] & (1L << offset)) != 0;
    }

    /** Marks {@code offset} free; returns false when it already was. */
    public boolean add(int offset) {
        checkIndex(offset);
        int word = offset >>> 6;
        long before = levels[0][word];
        if ((before & (1L << offset)) != 0) {
            return false;
        }
        levels[0][word] = before | (1L << offset);
        count++;
        // a word that was empty gets its bit set in the level above, and so on up
        int pos = word;
        for (int level = 1; level < levels.length && before == 0; level++) {
            int w = pos >>> 6;
            before = levels[level][w];
            levels[level][w] = before | (1L << pos);
            pos = w;
        }
        return true;
    }

    /** Marks {@code offset} taken; returns false when it already was. */
    public boolean remove(int offset) {
        checkIndex(offset);
        if (!contains(offset)) {
            return false;
        }
        count--;
        int pos = offset;
        for (long[] bits : levels) {
            int word = pos >>> 6;
            bits[word] &= ~(1L << pos);
            if (bits[word] != 0) {
                return true; // the word still has a free bit; parents unchanged
            }
            pos = word;
        }
        return true;
    }

    /**
     * Marks every offset from {@code first} to {@code last} (inclusive) free, a 64-bit word at a time: what a
     * scope's pools give at start (a /12 pool is 16,384 word operations instead of a million single adds).
     * Returns how many were not free before.
     */
    public int addRange(int first, int last) {
        checkRange(first, last);
        int added = 0;
        for (int word = first >>> 6; word <= last >>> 6; word++) {
            long before = levels[0][word];
            long after = before | rangeMask(word, first, last);
            if (after != before) {
                levels[0][word] = after;
                added += Long.bitCount(after & ~before);
                if (before == 0) {
                    markNonEmpty(word);
                }
            }
        }
        count += added;
        return added;
    }

    /** Marks every offset from {@code first} to {@code last} (inclusive) taken; returns how many were free. */
    public int removeRange(int first, int last) {
        checkRange(first, last);
        int removed = 0;
        for (int word = first >>> 6; word <= last >>> 6; word++) {
            long before = levels[0][word];
            long after = before & ~rangeMask(word, first, last);
            if (after != before) {
                levels[0][word] = after;
                removed += Long.bitCount(before & ~after);
                if (after == 0) {
                    markEmpty(word);
                }
            }
        }
        count -= removed;
        return removed;
    }

    /** The bits of level-0 word {@code word} that lie between {@code first} and {@code last}. */
    private static long rangeMask(int word, int first, int last) {
        int low = Math.max(first, word << 6) & 63;
        int high = Math.min(last, (word << 6) + 63) & 63;
        return (-1L << low) & (-1L >>> (63 - high));
    }

    /** Level-0 word {@code word} just got its first bit: set its bit in the level above, and so on up. */
    private void markNonEmpty(int word) {
        int pos = word;
        for (int level = 1; level < levels.length; level++) {
            int w = pos >>> 6;
            long before = levels[level][w];
            levels[level][w] = before | (1L << pos);
            if (before != 0) {
                return; // the ancestors were set already
            }
            pos = w;
        }
    }

    /** Level-0 word {@code word} just lost its last bit: clear its bit above, and so on up while words empty. */
    private void markEmpty(int word) {
        int pos = word;
        for (int level = 1; level < levels.length; level++) {
            int w = pos >>> 6;
            levels[level][w] &= ~(1L << pos);
            if (levels[level][w] != 0) {
                return;
            }
            pos = w;
        }
    }

    /** The first free offset at or after {@code from}, wrapping to the start; -1 when none is free. */
    public int nextFrom(int from) {
        if (count == 0) {
            return -1;
        }
        int start = from < 0 || from >= size ? 0 : from;
        int found = firstAtOrAfter(start);
        return found >= 0 ? found : firstAtOrAfter(0);
    }

    private int firstAtOrAfter(int from) {
        int level = 0;
        int pos = from;
        while (true) {
            long[] bits = levels[level];
            int word = pos >>> 6;
            if (word >= bits.length) {
                return -1;
            }
            long w = bits[word] & (-1L << pos);
            if (w != 0) {
                pos = (word << 6) + Long.numberOfTrailingZeros(w);
                break;
            }
            if (level == levels.length - 1) {
                return -1;
            }
            pos = word + 1;
            level++;
        }
        while (level > 0) {
            level--;
            pos = (pos << 6) + Long.numberOfTrailingZeros(levels[level][pos]);
        }
        return pos < size ? pos : -1;
    }

    private void checkRange(int first, int last) {
        checkIndex(first);
        checkIndex(last);
        if (first > last) {
            throw new IllegalArgumentException("range " + first + ".." + last + " is empty");
        }
    }

    private void checkIndex(int offset) {
        if (offset < 0 || offset >= size) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside 0.." + (size - 1));
        }
    }
}
