package dev.autogaze.job;

import dev.autogaze.model.EngineChoice;
import dev.autogaze.model.GazeSource;
import dev.autogaze.model.PatchDiffGazeSource;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The GPU address Spark gives a task, on its way to the engine, without a GPU: which address a task uses
 * ({@link TaskDevice}) and how the executor's gaze sources are keyed and opened by it ({@link GazeSourceHolder}).
 * Which CUDA device an address names is {@code CudaDeviceTest}'s; the device column of a real standalone cluster's
 * rows is {@code SparkSubmitIT}'s.
 */
class GpuAddressTest {

    private static Map<String, ResourceInformation> gpus(String... addresses) {
        return Map.of("gpu", new ResourceInformation("gpu", addresses));
    }

    @Test
    void aTaskUsesTheFirstGpuSparkListsForItAndNoneWithoutOne() {
        assertEquals("0", TaskDevice.gpuAddress(gpus("0")));
        assertEquals("GPU-3f2a0b11-2222-3333-4444-555566667777",
                TaskDevice.gpuAddress(gpus("GPU-3f2a0b11-2222-3333-4444-555566667777")));
        assertEquals("MIG-9e00aa11-2222-3333-4444-555566667777",
                TaskDevice.gpuAddress(gpus("MIG-9e00aa11-2222-3333-4444-555566667777")));
        // several GPUs for one task: the engine runs on one device, the first listed (not the smallest)
        assertEquals("3", TaskDevice.gpuAddress(gpus("3", "1")));
        assertEquals("GPU-b", TaskDevice.gpuAddress(gpus("GPU-b", "GPU-a")));
        assertNull(TaskDevice.gpuAddress(Map.of()), "no gpu resource: cpu");
        assertNull(TaskDevice.gpuAddress(gpus()), "a gpu resource without addresses: cpu");
        assertNull(TaskDevice.gpuAddress(Map.of("fpga", new ResourceInformation("fpga", new String[] {"0"}))));
    }

    /** Records the (spec, address) pairs it is asked to open; each open is a new source. */
    private static final class Opens {
        final List<String> calls = new ArrayList<>();

        GazeSource open(GazeSourceSpec spec, String gpu) {
            calls.add(spec.engine().label() + "@" + gpu);
            return PatchDiffGazeSource.defaults();
        }
    }

    @Test
    void theCudaEngineOpensOncePerAddressAndGetsThatAddress() {
        Opens opens = new Opens();
        GazeSourceHolder holder = new GazeSourceHolder(opens::open);
        GazeSourceSpec cuda = GazeSourceSpec.autogaze("/models/m").withEngine(EngineChoice.CUDA);
        GazeSource zero = holder.source(cuda, "0");
        GazeSource uuid = holder.source(cuda, "GPU-3f2a0b11-2222-3333-4444-555566667777");
        GazeSource mig = holder.source(cuda, "MIG-9e00aa11-2222-3333-4444-555566667777");
        GazeSource none = holder.source(cuda, null);
        assertSame(zero, holder.source(cuda, "0"), "tasks on one GPU share its source");
        assertSame(uuid, holder.source(cuda, "GPU-3f2a0b11-2222-3333-4444-555566667777"));
        assertNotSame(zero, uuid);
        assertNotSame(uuid, mig);
        assertNotSame(zero, none);
        // the address reaches the opener (GazeSources.open -> AutoGazeModel.load -> CudaEngine -> CudaDevice.resolve)
        // as Spark wrote it; no address is "" (device 0, see CudaDevice.resolve)
        assertEquals(List.of("cuda@0", "cuda@GPU-3f2a0b11-2222-3333-4444-555566667777",
                "cuda@MIG-9e00aa11-2222-3333-4444-555566667777", "cuda@"), opens.calls);
    }

    @Test
    void cpuEnginesAndPatchDiffServeEveryTaskOfTheJvmWhateverItsGpu() {
        Opens opens = new Opens();
        GazeSourceHolder holder = new GazeSourceHolder(opens::open);
        GazeSourceSpec jvm = GazeSourceSpec.autogaze("/models/m").withEngine(EngineChoice.JVM);
        GazeSource a = holder.source(jvm, "0");
        assertSame(a, holder.source(jvm, "1"));
        assertSame(a, holder.source(jvm, null));
        GazeSource p = holder.source(GazeSourceSpec.patchDiff(), "GPU-3f2a0b11-2222-3333-4444-555566667777");
        assertSame(p, holder.source(GazeSourceSpec.patchDiff(), null));
        assertEquals(List.of("jvm@null", "auto@null"), opens.calls, "opened once each, with no address");
    }
}
