package dev.autogaze.model.cuda;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.nio.ByteOrder;
import java.nio.LongBuffer;

/**
 * cuLaunchKernel's argument array, preallocated: 8-byte slots in one native block and the array of pointers to
 * them. A device pointer fills a slot; an int or a float its low 4 bytes (the kernel reads 4 bytes, little-endian).
 */
final class KernelArgs implements AutoCloseable {

    static final int MAX = 24;

    private final LongPointer slots = new LongPointer(MAX);
    private final LongBuffer values = slots.asByteBuffer().order(ByteOrder.nativeOrder()).asLongBuffer();
    private final PointerPointer<BytePointer> params = new PointerPointer<>(MAX);
    private int count;

    KernelArgs() {
        for (int i = 0; i < MAX; i++) {
            // PointerPointer adds a pointer's position in bytes, whatever its element type
            params.put(i, new BytePointer(slots).position((long) i * Long.BYTES));
        }
    }

    void clear() {
        count = 0;
    }

    void add(long value, String kernel) {
        if (count == MAX) {
            throw new IllegalStateException(kernel + ": more than " + MAX + " kernel arguments");
        }
        values.put(count++, value);
    }

    int count() {
        return count;
    }

    /** The kernelParams array for cuLaunchKernel. */
    PointerPointer<BytePointer> params() {
        return params;
    }

    /** Where slot i lives (for tests). */
    long slotAddress(int i) {
        return slots.address() + (long) i * Long.BYTES;
    }

    /** The address params[i] points at (for tests). */
    long paramAddress(int i) {
        return new LongPointer(params).get(i);
    }

    /** The value in slot i (for tests). */
    long value(int i) {
        return values.get(i);
    }

    @Override
    public void close() {
        params.close();
        slots.close();
    }
}
