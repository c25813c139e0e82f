package dev.autogaze.model.cuda;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Page-locked host memory (cudaMallocHost) seen from Java as a direct ByteBuffer: what the engine stages uploads
 * and downloads through, so copies are asynchronous DMA rather than pageable staging.
 */
final class PinnedBuffer implements AutoCloseable {

    private final BytePointer ptr;
    private final ByteBuffer buffer;

    PinnedBuffer(long bytes, String what) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": pinned buffer of " + bytes + " bytes exceeds 2 GiB");
        }
        long n = Math.max(bytes, 64);
        BytePointer p = new BytePointer((Pointer) null);
        Cuda.check(cudart.cudaMallocHost(p, n), "cudaMallocHost of " + DeviceArray.mib(n) + " for " + what);
        this.ptr = p.capacity(n).limit(n);
        this.buffer = ptr.asByteBuffer().order(ByteOrder.nativeOrder());
    }

    Pointer pointer() {
        return ptr;
    }

    ByteBuffer buffer() {
        return buffer;
    }

    long bytes() {
        return buffer.capacity();
    }

    @Override
    public void close() {
        if (ptr.address() != 0) {
            cudart.cudaFreeHost(ptr);
            ptr.setNull();
        }
    }
}
