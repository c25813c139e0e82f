package dev.autogaze.video;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RGB frame arrays handed back once their clip is consumed, for any later clip of the same frame size in this JVM,
 * whatever video it comes from. Without it nearly every decoded frame is a new array (a video's own clips are
 * consumed after its decoding thread has moved on): at a GPU executor's rate, hundreds of clips/s of 11 MB at
 * 640x360, the clips waiting in the queues are copied by every young collection, and those pauses stop the threads
 * that feed the GPU (docs/performance.md, "The frame pool"). Holds at most its byte bound; arrays past it are left to the
 * collector. Thread-safe.
 */
public final class FramePool {

    private static final FramePool SHARED = new FramePool(Runtime.getRuntime().maxMemory() / 8);

    private final ConcurrentHashMap<Integer, ConcurrentLinkedDeque<byte[]>> free = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final long maxBytes;

    FramePool(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The JVM's pool, bounded at an eighth of the heap's maximum. */
    public static FramePool shared() {
        return SHARED;
    }

    /** A pooled array of exactly `length` bytes (its old contents are to be overwritten), or null. */
    public byte[] take(int length) {
        ConcurrentLinkedDeque<byte[]> arrays = free.get(length);
        byte[] a = arrays == null ? null : arrays.pollLast(); // the most recently returned: likelier in cache
        if (a != null) {
            bytes.addAndGet(-a.length);
        }
        return a;
    }

    /** Hands `frame` back; the caller must not touch it afterwards. Dropped when the pool is full. */
    public void give(byte[] frame) {
        if (bytes.addAndGet(frame.length) > maxBytes) {
            bytes.addAndGet(-frame.length);
            return;
        }
        free.computeIfAbsent(frame.length, k -> new ConcurrentLinkedDeque<>()).addLast(frame);
    }

    /** Bytes the pool holds now. */
    long bytes() {
        return bytes.get();
    }
}
