package dev.autogaze.model.cuda;

import dev.autogaze.model.AutoGazeConfig;
import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kernel of the CUDA engine compiles with NVRTC for the architectures GPU executors have (no GPU needed: NVRTC
 * comes from the nvidia-cuda-nvrtc wheel that jobs/test installs and puts on LD_LIBRARY_PATH).
 */
class KernelCompileTest {

    /** The kernel names the engine launches; each must be in the CUBIN. */
    static final List<String> KERNELS = List.of("gemm_plain_l", "gemm_plain_m", "gemm_small", "gemm_patch", "gemm_trunk",
            "gemm_rows", "gemm_rows_norm", "gemm_rows_swiglu",
            "rmsnorm", "layernorm", "gather_input", "gather_rows", "rope_store", "attention_dk",
            "attention_d1", "attention_d1p", "attention_prefill", "attention_combine", "select_step");

    private static AutoGazeConfig released() {
        return AutoGazeConfig.load(Fixtures.autogazeSet("nvidia-b1-t16").resolve("model"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sm_80", "sm_90"})
    void everyKernelCompilesForTheArchitecture(String arch) {
        KernelCompiler.Compiled c = compile(KernelCompiler.options(released(), arch), null);
        assertFalse(c.cached());
        String symbols = new String(c.cubin(), java.nio.charset.StandardCharsets.ISO_8859_1);
        List<String> missing = new ArrayList<>();
        for (String k : KERNELS) {
            if (!symbols.contains(k)) {
                missing.add(k);
            }
        }
        assertTrue(missing.isEmpty(), "kernels missing from the " + arch + " CUBIN: " + missing);
    }

    @Test
    void secondCompileComesFromTheDiskCache(@TempDir Path cache) throws Exception {
        List<String> options = KernelCompiler.options(released(), "sm_90");
        KernelCompiler.Compiled first = compile(options, cache);
        KernelCompiler.Compiled second = compile(options, cache);
        assertFalse(first.cached());
        assertTrue(second.cached());
        assertArrayEquals(first.cubin(), second.cubin());
        try (var files = Files.list(cache)) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".cubin")));
        }
    }

    @Test
    void aHeadDimOtherThan32FailsToCompileWithTheReason() {
        List<String> options = new ArrayList<>(KernelCompiler.options(released(), "sm_90"));
        options.replaceAll(o -> o.startsWith("-DHD=") ? "-DHD=64" : o);
        CudaException e = assertThrows(CudaException.class, () -> compile(options, null));
        assertTrue(e.getMessage().contains("HD must be 32"), e.getMessage());
    }

    private static KernelCompiler.Compiled compile(List<String> options, Path cache) {
        try {
            return KernelCompiler.compile(KernelCompiler.source(), options, cache);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new AssertionError("NVRTC (libnvrtc.so.13) could not be loaded: run the tests through jobs/test, which"
                    + " installs the nvidia-cuda-nvrtc wheel and puts it on LD_LIBRARY_PATH (" + e + ")", e);
        }
    }
}
