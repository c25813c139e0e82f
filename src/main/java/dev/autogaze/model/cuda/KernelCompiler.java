package dev.autogaze.model.cuda;

import dev.autogaze.model.AutoGazeConfig;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.bytedeco.cuda.global.nvrtc.nvrtcCompileProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCreateProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcDestroyProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBIN;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBINSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetErrorString;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLog;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLogSize;

/**
 * Compiles the engine's CUDA C (a resource beside this class) with NVRTC for one GPU architecture and one model's
 * sizes, so no nvcc is needed to build or deploy. A compiled CUBIN is cached on local disk under the SHA-256 of the
 * source and the options: an executor JVM compiles once, later JVMs on the node load the cached file.
 */
public final class KernelCompiler {

    /** The kernel source shipped in the jar. */
    public static final String SOURCE = "autogaze.cu";

    /** @param cubin machine code; @param cached true when read from the disk cache; @param millis compile time */
    public record Compiled(byte[] cubin, boolean cached, long millis, String log) {
    }

    private KernelCompiler() {
    }

    /** The CUDA C source of the engine's kernels. */
    public static String source() {
        try (InputStream in = KernelCompiler.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + SOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel source " + SOURCE, e);
        }
    }

    /** NVRTC options for a model's sizes and an architecture such as "sm_90". */
    public static List<String> options(AutoGazeConfig config, String arch) {
        AutoGazeConfig.Decoder d = config.decoder();
        List<String> o = new ArrayList<>();
        o.add("--gpu-architecture=" + arch);
        o.add("--std=c++17");
        o.add("--fmad=false"); // only explicit fmaf fuses, as in the JVM engine's arithmetic
        o.add("-DH=" + d.hiddenSize());
        o.add("-DINTER=" + d.intermediateSize());
        o.add("-DNH=" + d.heads());
        o.add("-DNKV=" + d.kvHeads());
        o.add("-DHD=" + d.headDim());
        o.add("-DKH=" + d.multiTokenHeads());
        o.add("-DVOCAB=" + d.vocabSize());
        o.add("-DEOS=" + d.eosTokenId());
        return o;
    }

    /** The default CUBIN cache: $AUTOGAZE_CUDA_CACHE, else $XDG_CACHE_HOME/autogaze/cubin, else ~/.cache/autogaze/cubin. */
    public static Path defaultCacheDir() {
        String env = System.getenv("AUTOGAZE_CUDA_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("autogaze").resolve("cubin");
    }

    /**
     * Compiles `source` with `options`, or reads the cached result (cacheDir may be null: no cache). Throws
     * {@link CudaException} with NVRTC's log when the source does not compile.
     */
    public static Compiled compile(String source, List<String> options, Path cacheDir) {
        String key = key(source, options);
        Path cached = cacheDir == null ? null : cacheDir.resolve(key + ".cubin");
        if (cached != null && Files.isRegularFile(cached)) {
            try {
                return new Compiled(Files.readAllBytes(cached), true, 0, "");
            } catch (IOException e) {
                // an unreadable cache entry is compiled again
            }
        }
        long t0 = System.nanoTime();
        _nvrtcProgram program = new _nvrtcProgram();
        checkNvrtc(nvrtcCreateProgram(program, new BytePointer(source), new BytePointer(SOURCE), 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "nvrtcCreateProgram");
        try (PointerPointer<BytePointer> opts = new PointerPointer<>(options.toArray(new String[0]))) {
            int rc = nvrtcCompileProgram(program, options.size(), opts);
            String log = log(program);
            if (rc != 0) {
                throw new CudaException("NVRTC could not compile " + SOURCE + " (" + String.join(" ", options) + "): "
                        + errorString(rc) + "\n" + log);
            }
            byte[] cubin;
            try (SizeTPointer size = new SizeTPointer(1)) {
                checkNvrtc(nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize");
                cubin = new byte[(int) size.get()];
                checkNvrtc(nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN");
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            if (cached != null) {
                store(cached, cubin);
            }
            return new Compiled(cubin, false, millis, log);
        } finally {
            nvrtcDestroyProgram(program);
        }
    }

    private static void store(Path file, byte[] cubin) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.write(tmp, cubin);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            // the cache is an optimization: a read-only home only costs a compile per JVM
        }
    }

    private static String log(_nvrtcProgram program) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            if (nvrtcGetProgramLogSize(program, size) != 0 || size.get() <= 1) {
                return "";
            }
            byte[] text = new byte[(int) size.get()];
            nvrtcGetProgramLog(program, text);
            return new String(text, 0, text.length - 1, StandardCharsets.UTF_8).strip();
        }
    }

    private static void checkNvrtc(int rc, String what) {
        if (rc != 0) {
            throw new CudaException(what + " failed: " + errorString(rc));
        }
    }

    private static String errorString(int rc) {
        try (BytePointer p = nvrtcGetErrorString(rc)) {
            return p.getString();
        }
    }

    static String key(String source, List<String> options) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(source.getBytes(StandardCharsets.UTF_8));
            for (String o : options) {
                d.update((byte) 0);
                d.update(o.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(d.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
