package dev.autogaze.model.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import java.util.HashMap;
import java.util.Map;

/**
 * The compiled kernels loaded into the current device's context (driver API: cuModuleLoadData, cuLaunchKernel),
 * with a launch builder whose argument slots live in one preallocated native block, so a launch allocates nothing.
 * Not thread-safe: one module per engine, used under the engine's lock.
 */
final class CudaModule implements AutoCloseable {

    /** AUTOGAZE_CUDA_DEBUG=1: wait for every kernel and check it, so a failure names its kernel (slow). */
    static final boolean DEBUG = "1".equals(System.getenv("AUTOGAZE_CUDA_DEBUG"));
    /**
     * AUTOGAZE_CUDA_PROFILE=1: time every kernel with CUDA events (serializes launches; for finding hot spots);
     * AUTOGAZE_CUDA_PROFILE=grid: the same, per kernel and grid shape (which calls of a kernel cost the time).
     */
    static final boolean PROFILE_GRID = "grid".equals(System.getenv("AUTOGAZE_CUDA_PROFILE"));
    static final boolean PROFILE = PROFILE_GRID || "1".equals(System.getenv("AUTOGAZE_CUDA_PROFILE"));

    private final java.util.Map<String, double[]> profile = new java.util.TreeMap<>();
    private final org.bytedeco.cuda.cudart.CUevent_st before = new org.bytedeco.cuda.cudart.CUevent_st();
    private final org.bytedeco.cuda.cudart.CUevent_st after = new org.bytedeco.cuda.cudart.CUevent_st();

    private final CUmod_st module = new CUmod_st();
    private final Map<String, CUfunc_st> functions = new HashMap<>();
    private final KernelArgs args = new KernelArgs();
    private final Launch launch = new Launch();

    CudaModule(byte[] cubin) {
        try (BytePointer image = new BytePointer(cubin)) {
            Cuda.checkDriver(cudart.cuModuleLoadData(module, image), "cuModuleLoadData");
        }
        if (PROFILE) {
            Cuda.check(cudart.cudaEventCreate(before), "cudaEventCreate");
            Cuda.check(cudart.cudaEventCreate(after), "cudaEventCreate");
        }
    }

    private CUfunc_st function(String name) {
        return functions.computeIfAbsent(name, n -> {
            CUfunc_st f = new CUfunc_st();
            Cuda.checkDriver(cudart.cuModuleGetFunction(f, module, n), "cuModuleGetFunction " + n);
            return f;
        });
    }

    /** Starts a launch of kernel `name` with `blocks` x `threads` (one-dimensional unless {@link Launch#grid}). */
    Launch launch(String name, long blocks, int threads) {
        return launch.start(name, function(name), blocks, 1, 1, threads);
    }

    /** A launch being assembled: arguments in the kernel's order, then {@link #on}. */
    final class Launch {
        private String name;
        private CUfunc_st f;
        private long gx;
        private int gy;
        private int gz;
        private int threads;

        private Launch start(String name, CUfunc_st f, long gx, int gy, int gz, int threads) {
            this.name = name;
            this.f = f;
            this.gx = gx;
            this.gy = gy;
            this.gz = gz;
            this.threads = threads;
            args.clear();
            return this;
        }

        Launch grid(long x, int y, int z) {
            gx = x;
            gy = y;
            gz = z;
            return this;
        }

        Launch ptr(DeviceArray a) {
            return raw(a.address());
        }

        /** A pointer `byteOffset` into `a`. */
        Launch ptr(DeviceArray a, long byteOffset) {
            return raw(a.address() + byteOffset);
        }

        Launch nullPtr() {
            return raw(0L);
        }

        Launch i(int v) {
            return raw(v & 0xffffffffL);
        }

        Launch f(float v) {
            return raw(Float.floatToRawIntBits(v) & 0xffffffffL);
        }

        private Launch raw(long v) {
            args.add(v, name);
            return this;
        }

        /** Launches on `stream` (asynchronous); zero blocks is a no-op. */
        void on(CUstream_st stream) {
            if (gx == 0) {
                return;
            }
            if (gx > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + ": grid of " + gx + " blocks");
            }
            if (PROFILE) {
                Cuda.check(cudart.cudaEventRecord(before, stream), "cudaEventRecord");
            }
            Cuda.checkDriver(cudart.cuLaunchKernel(f, (int) gx, gy, gz, threads, 1, 1, 0, stream, args.params(), null),
                    "cuLaunchKernel " + name);
            if (PROFILE) {
                Cuda.check(cudart.cudaEventRecord(after, stream), "cudaEventRecord");
                Cuda.check(cudart.cudaEventSynchronize(after), "kernel " + name);
                float[] ms = new float[1];
                Cuda.check(cudart.cudaEventElapsedTime(ms, before, after), "cudaEventElapsedTime");
                String key = PROFILE_GRID ? name + " " + gx + "x" + gy + "x" + gz + "/" + threads : name;
                double[] acc = profile.computeIfAbsent(key, k -> new double[2]);
                acc[0] += ms[0];
                acc[1]++;
            }
            if (DEBUG) {
                System.err.println("cuda: " + name + " " + gx + "x" + gy + "x" + gz);
                Cuda.check(cudart.cudaStreamSynchronize(stream), "kernel " + name + " (" + gx + "x" + gy + "x" + gz
                        + " blocks of " + threads + ")");
            }
        }
    }

    /** Per-kernel GPU time so far (AUTOGAZE_CUDA_PROFILE=1), most expensive first; empty otherwise. */
    String profile() {
        if (profile.isEmpty()) {
            return "";
        }
        double total = profile.values().stream().mapToDouble(v -> v[0]).sum();
        StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "kernel GPU time (events): %.1f ms%n",
                total));
        String row = (PROFILE_GRID ? "  %-40s" : "  %-18s") + " %10.1f ms %5.1f %% %8d launches%n";
        profile.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> s.append(String.format(java.util.Locale.ROOT, row, e.getKey(), e.getValue()[0],
                        100 * e.getValue()[0] / total, (long) e.getValue()[1])));
        return s.toString();
    }

    void resetProfile() {
        profile.clear();
    }

    @Override
    public void close() {
        cudart.cuModuleUnload(module);
        args.close();
    }
}
