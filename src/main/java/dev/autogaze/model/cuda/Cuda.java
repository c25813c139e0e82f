package dev.autogaze.model.cuda;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The CUDA runtime as this engine sees it: whether it loads on this machine (and, if not, why, in one line), and the
 * checks that turn CUDA status codes into exceptions that name the call. Everything else in the package goes through
 * here first, so a machine without a driver fails with a sentence instead of an UnsatisfiedLinkError.
 */
public final class Cuda {

    private static volatile String unavailable;
    private static volatile boolean probed;

    private Cuda() {
    }

    /** Null when the CUDA runtime and at least one device are usable here, else the reason in one line. */
    public static String unavailableReason() {
        if (!probed) {
            synchronized (Cuda.class) {
                if (!probed) {
                    unavailable = probe();
                    probed = true;
                }
            }
        }
        return unavailable;
    }

    /** Throws {@link CudaUnavailableException} with the reason unless a CUDA device is usable. */
    public static void requireDevice() {
        String why = unavailableReason();
        if (why != null) {
            throw new CudaUnavailableException(why);
        }
    }

    private static String probe() {
        try {
            Loader.load(cudart.class);
        } catch (Throwable e) {
            return "CUDA runtime not loadable (" + rootMessage(e) + "); the cuda engine needs an NVIDIA driver >= 580"
                    + " (libcuda.so.1) and the CUDA 13 runtime (libcudart.so.13) on the library path";
        }
        try (IntPointer n = new IntPointer(1)) {
            int rc = cudart.cudaDriverGetVersion(n);
            int driver = rc == 0 ? n.get() : 0;
            rc = cudart.cudaGetDeviceCount(n);
            if (rc != 0) {
                return "no CUDA device: " + errorString(rc) + (driver == 0 ? " (no NVIDIA driver found)"
                        : " (driver supports CUDA " + version(driver) + ")");
            }
            if (n.get() == 0) {
                return "no CUDA device: the driver reports 0 devices";
            }
        } catch (Throwable e) {
            return "CUDA runtime failed: " + rootMessage(e);
        }
        return null;
    }

    static String version(int v) {
        return v / 1000 + "." + v % 1000 / 10;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static String errorString(int rc) {
        try (BytePointer name = cudart.cudaGetErrorName(rc); BytePointer text = cudart.cudaGetErrorString(rc)) {
            return name.getString() + ": " + text.getString();
        }
    }

    /** Throws unless a runtime-API call succeeded; the message names the call. */
    static void check(int rc, String what) {
        if (rc != 0) {
            if (rc == cudart.cudaErrorMemoryAllocation) {
                throw new CudaOutOfMemoryException(what + " failed: " + errorString(rc));
            }
            throw new CudaException(what + " failed: " + errorString(rc));
        }
    }

    /** Throws unless a driver-API call (CUresult) succeeded; the message names the call. */
    static void checkDriver(int rc, String what) {
        if (rc != 0) {
            String text = "CUresult " + rc;
            try (PointerPointer<BytePointer> out = new PointerPointer<>(1)) {
                if (cudart.cuGetErrorString(rc, out) == 0 && out.get(0) != null) {
                    text = new BytePointer(out.get(0)).getString();
                }
            }
            if (rc == cudart.CUDA_ERROR_OUT_OF_MEMORY) {
                throw new CudaOutOfMemoryException(what + " failed: " + text);
            }
            throw new CudaException(what + " failed: " + text);
        }
    }
}
