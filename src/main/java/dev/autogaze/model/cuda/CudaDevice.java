package dev.autogaze.model.cuda;

import org.bytedeco.cuda.cudart.CUuuid_st;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One CUDA device as the engine needs to know it: ordinal, name, compute capability (the NVRTC target), memory and
 * UUID, and the mapping from a Spark GPU address (an ordinal such as "1", a UUID such as "GPU-3f2a…", or a MIG
 * instance's "MIG-…" UUID, as discovery scripts report them) to it.
 */
public record CudaDevice(int ordinal, String name, int major, int minor, long totalMemory, String uuid,
                         int multiprocessors) {

    /** The NVRTC architecture of this device, e.g. "sm_90". */
    public String arch() {
        return "sm_" + major + minor;
    }

    /** "NVIDIA H200 (device 0, sm_90, 139.8 GiB)". */
    public String describe() {
        return String.format(Locale.ROOT, "%s (device %d, %s, %.1f GiB)", name, ordinal, arch(),
                totalMemory / (1024.0 * 1024 * 1024));
    }

    /**
     * {free, total} bytes of this device as cudaMemGetInfo reports them: every context and process on it counts.
     * Makes the device current on the calling thread (creating its context there on first use).
     */
    public long[] memory() {
        Cuda.check(cudart.cudaSetDevice(ordinal), "cudaSetDevice(" + ordinal + ")");
        try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
            Cuda.check(cudart.cudaMemGetInfo(free, total), "cudaMemGetInfo on device " + ordinal);
            return new long[] {free.get(), total.get()};
        }
    }

    /** Bytes in use on this device (total - free of {@link #memory()}). */
    public long usedBytes() {
        long[] m = memory();
        return m[1] - m[0];
    }

    /** Every device the driver reports; requires a usable runtime ({@link Cuda#requireDevice()}). */
    public static List<CudaDevice> all() {
        Cuda.requireDevice();
        int n;
        try (IntPointer count = new IntPointer(1)) {
            Cuda.check(cudart.cudaGetDeviceCount(count), "cudaGetDeviceCount");
            n = count.get();
        }
        List<CudaDevice> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(get(i));
        }
        return out;
    }

    static CudaDevice get(int ordinal) {
        try (cudaDeviceProp p = new cudaDeviceProp()) {
            Cuda.check(cudart.cudaGetDeviceProperties(p, ordinal), "cudaGetDeviceProperties(" + ordinal + ")");
            CUuuid_st u = new CUuuid_st(p.uuid());
            byte[] b = new byte[16];
            for (int i = 0; i < 16; i++) {
                b[i] = u.bytes(i);
            }
            return new CudaDevice(ordinal, p.name().getString(), p.major(), p.minor(), p.totalGlobalMem(),
                    uuidString(b), p.multiProcessorCount());
        }
    }

    /**
     * The device a Spark GPU address names: null or blank = device 0; digits = that ordinal; "GPU-…" or "MIG-…" = the
     * device with that UUID (a unique prefix is enough). Anything else, or an address that names no device, fails
     * with one line naming it and listing the devices.
     */
    public static CudaDevice resolve(String address) {
        return resolve(address, all());
    }

    static CudaDevice resolve(String address, List<CudaDevice> devices) {
        String a = address == null ? "" : address.trim();
        if (a.isEmpty()) {
            if (devices.isEmpty()) {
                throw new CudaUnavailableException("no CUDA device");
            }
            return devices.get(0);
        }
        if (a.chars().allMatch(Character::isDigit)) {
            long ordinal = a.length() > 9 ? Long.MAX_VALUE : Long.parseLong(a);
            for (CudaDevice d : devices) {
                if (d.ordinal() == ordinal) {
                    return d;
                }
            }
        } else if (hasUuidPrefix(a)) {
            // "GPU-…" as nvidia-smi prints a GPU, "MIG-…" for a MIG instance (which CUDA enumerates as a device)
            String want = hex(a);
            List<CudaDevice> hits = new ArrayList<>();
            for (CudaDevice d : devices) {
                if (!want.isEmpty() && hex(d.uuid()).startsWith(want)) {
                    hits.add(d);
                }
            }
            if (hits.size() == 1) {
                return hits.get(0);
            }
        }
        StringBuilder present = new StringBuilder();
        for (CudaDevice d : devices) {
            present.append(present.length() == 0 ? "" : ", ").append(d.ordinal()).append(" = ").append(d.uuid());
        }
        throw new IllegalArgumentException("GPU address '" + address + "' names no CUDA device; present: "
                + (present.length() == 0 ? "none" : present));
    }

    /** Only "GPU-…" and "MIG-…" name a device by UUID: "-1" or a bare "1e" must not match a UUID's first digits. */
    private static boolean hasUuidPrefix(String address) {
        String u = address.toLowerCase(Locale.ROOT);
        return u.startsWith("gpu-") || u.startsWith("mig-");
    }

    /** The UUID's hex digits without its GPU-/MIG- prefix and dashes, lower case. */
    private static String hex(String uuid) {
        String u = uuid.toLowerCase(Locale.ROOT);
        if (u.startsWith("gpu-") || u.startsWith("mig-")) {
            u = u.substring(4);
        }
        return u.replace("-", "");
    }

    static String uuidString(byte[] b) {
        StringBuilder s = new StringBuilder("GPU-");
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                s.append('-');
            }
            s.append(String.format(Locale.ROOT, "%02x", b[i] & 0xff));
        }
        return s.toString();
    }
}
