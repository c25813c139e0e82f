package dev.autogaze.model;

/**
 * The bookkeeping both engines' caches share: their shape, how many tokens they hold, slot reservation for a
 * forward call, and the index checks of the key mask. Storage is the subclass's.
 */
abstract class CacheSlots implements DecoderCache {

    private final int batch;
    private final int capacity;
    private int length;

    /** `capacity` is the slots per row the subclass allocates (the request, possibly rounded up). */
    CacheSlots(int batch, int requested, int capacity) {
        if (batch <= 0 || requested <= 0) {
            throw new IllegalArgumentException("KV cache needs batch > 0 and capacity > 0, got batch " + batch
                    + ", capacity " + requested);
        }
        this.batch = batch;
        this.capacity = capacity;
    }

    @Override
    public final int batch() {
        return batch;
    }

    @Override
    public final int capacity() {
        return capacity;
    }

    @Override
    public final int length() {
        return length;
    }

    @Override
    public final void reset() {
        length = 0;
    }

    /** Reserves [length, length + count) for the tokens about to be fed; they must fit the capacity. */
    final int append(int count) {
        if (length + count > capacity) {
            throw new IllegalStateException("KV cache overflow: " + length + " + " + count + " tokens exceed capacity "
                    + capacity);
        }
        int start = length;
        length += count;
        return start;
    }

    /** Throws unless (b, index) is a slot of this cache. */
    final void checkSlot(int b, int index) {
        if (b < 0 || b >= batch) {
            throw new IndexOutOfBoundsException("batch row " + b + " is outside [0, " + batch + ")");
        }
        if (index < 0 || index >= capacity) {
            throw new IndexOutOfBoundsException("cache index " + index + " is outside [0, " + capacity + ")");
        }
    }
}
