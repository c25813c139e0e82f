package dev.autogaze.model.cuda;

import java.util.ArrayList;
import java.util.List;

/** The device and pinned buffers an owner made, so it can report their device bytes and free them all at once. */
final class Allocations implements AutoCloseable {

    private final List<AutoCloseable> owned = new ArrayList<>();

    <T extends AutoCloseable> T track(T buffer) {
        owned.add(buffer);
        return buffer;
    }

    /** Device bytes of the tracked device arrays (pinned host buffers not counted). */
    long deviceBytes() {
        long b = 0;
        for (AutoCloseable a : owned) {
            if (a instanceof DeviceArray d) {
                b += d.bytes();
            }
        }
        return b;
    }

    /** Frees every buffer, newest first; the owner can track new ones afterwards. */
    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                throw new CudaException("freeing a buffer failed: " + e.getMessage());
            }
        }
        owned.clear();
    }
}
