package dev.autogaze.model.cuda;

import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudart.cudaPointerAttributes;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * One device allocation (cudaMalloc), zeroed when made so that unused cache slots hold finite values. Offsets are in
 * bytes; {@link #address} is what a kernel receives.
 */
final class DeviceArray implements AutoCloseable {

    private final BytePointer ptr;
    private final long bytes;
    private final String what;

    private DeviceArray(BytePointer ptr, long bytes, String what) {
        this.ptr = ptr;
        this.bytes = bytes;
        this.what = what;
    }

    /** Allocates and zeroes `bytes` (at least 1); `what` names the buffer in errors. */
    static DeviceArray allocate(long bytes, String what) {
        long n = Math.max(bytes, 256);
        BytePointer p = new BytePointer((Pointer) null);
        Cuda.check(cudart.cudaMalloc(p, n), "cudaMalloc of " + mib(n) + " for " + what);
        Cuda.check(cudart.cudaMemset(p, 0, n), "cudaMemset of " + what);
        return new DeviceArray(p, n, what);
    }

    static DeviceArray floats(long count, String what) {
        return allocate(count * Float.BYTES, what);
    }

    long address() {
        return ptr.address();
    }

    long bytes() {
        return bytes;
    }

    /** The device this memory was allocated on, as cudaPointerGetAttributes reports it. */
    int device() {
        try (cudaPointerAttributes attributes = new cudaPointerAttributes()) {
            Cuda.check(cudart.cudaPointerGetAttributes(attributes, ptr), "cudaPointerGetAttributes of " + what);
            return attributes.device();
        }
    }

    /** A pointer `offset` bytes into the allocation (for copies). */
    Pointer at(long offset) {
        if (offset < 0 || offset > bytes) {
            throw new IndexOutOfBoundsException(what + ": offset " + offset + " outside " + bytes + " bytes");
        }
        return new BytePointer(ptr).position(offset);
    }

    /** Copies `count` bytes from pinned or pageable host memory to `offset`, on `stream`. */
    void upload(Pointer host, long hostOffset, long offset, long count, CUstream_st stream) {
        checkRange(offset, count);
        Cuda.check(cudart.cudaMemcpyAsync(at(offset), new BytePointer(host).position(hostOffset), count,
                cudart.cudaMemcpyHostToDevice, stream), "upload to " + what);
    }

    /** Copies `count` bytes at `offset` to host memory, on `stream` (the caller synchronizes). */
    void download(long offset, Pointer host, long hostOffset, long count, CUstream_st stream) {
        checkRange(offset, count);
        Cuda.check(cudart.cudaMemcpyAsync(new BytePointer(host).position(hostOffset), at(offset), count,
                cudart.cudaMemcpyDeviceToHost, stream), "download from " + what);
    }

    private void checkRange(long offset, long count) {
        if (offset < 0 || count < 0 || offset + count > bytes) {
            throw new IndexOutOfBoundsException(what + ": [" + offset + ", " + (offset + count) + ") outside "
                    + bytes + " bytes");
        }
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    @Override
    public void close() {
        if (ptr.address() != 0) {
            cudart.cudaFree(ptr);
            ptr.setNull();
        }
    }
}
