package dev.autogaze.job;

import dev.autogaze.model.AutoGazeGazeSource;
import dev.autogaze.model.EngineChoice;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.model.GazeSource;
import dev.autogaze.model.cuda.CudaDevice;
import dev.autogaze.model.cuda.CudaResidency;
import dev.autogaze.model.cuda.RequiresGpu;
import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.testing.Fixtures;
import dev.autogaze.testing.SameRows;
import dev.autogaze.video.RgbClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two tasks of one executor JVM on the two GPUs Spark gave them ("0" and "1"), each on its own thread through the
 * executor's gaze-source holder, as {@link ProcessorFactory#standard()} runs them: the work of the task given GPU 1
 * runs on GPU 1 (the device of each lane's stream context and of its weights, read back from CUDA, and the memory
 * used on each device) and GPU 0 is left alone until a task is given it. Needs a machine with two GPUs.
 */
@RequiresGpu(devices = 2)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TaskGpuPlacementTest {

    private static final long MIB = 1 << 20;

    /** What one task did: its source and the rows it gazed, on a thread of its own. */
    private record TaskRun(GazeSource source, List<GeneratedGaze> rows) {
    }

    @Test
    void theTaskGivenGpu1RunsOnGpu1AndTheTaskGivenGpu0OnGpu0() throws Exception {
        CudaDevice gpu0 = CudaDevice.resolve("0");
        CudaDevice gpu1 = CudaDevice.resolve("1");
        GazeSourceSpec spec = GazeSourceSpec.autogaze(Fixtures.autogazeSet("nvidia-b1-t16").resolve("model")
                .toString()).withEngine(EngineChoice.CUDA).withCudaLanes(2);
        GazeSourceHolder holder = new GazeSourceHolder(GazeSources::open);
        List<RgbClip> clips = clips();
        // both devices' contexts exist before the baseline, so that measuring creates nothing afterwards
        gpu0.usedBytes();
        gpu1.usedBytes();
        long before0 = gpu0.usedBytes();
        long before1 = gpu1.usedBytes();

        TaskRun one = task(holder, spec, "1", clips).get();
        long used0 = gpu0.usedBytes() - before0;
        long used1 = gpu1.usedBytes() - before1;
        List<CudaResidency> lanes1 = residency(one.source());
        assertEquals(2, lanes1.size());
        long held1 = 0;
        for (CudaResidency r : lanes1) {
            assertEquals(1, r.streamDevice(), "a lane of the task given GPU 1 launches on device " + r.streamDevice());
            assertEquals(1, r.weightsDevice(), "its weights live on device " + r.weightsDevice());
            held1 += r.deviceBytes();
        }
        assertTrue(held1 > 2 * 10 * MIB, "two lanes hold their weights: " + held1);
        assertTrue(used1 >= held1, "GPU 1 grew by " + used1 + " bytes, less than the " + held1 + " its lanes hold");
        assertTrue(used0 < 4 * MIB, "GPU 0 grew by " + used0 / MIB + " MiB while only GPU 1 had a task");

        // both GPUs at once, two task threads: each source on its own device, the same rows bit for bit
        FutureTask<TaskRun> onZero = task(holder, spec, "0", clips);
        FutureTask<TaskRun> onOne = task(holder, spec, "1", clips);
        TaskRun zero = onZero.get();
        TaskRun oneAgain = onOne.get();
        assertNotSame(zero.source(), oneAgain.source());
        assertSame(one.source(), oneAgain.source(), "the executor's tasks on GPU 1 share its source");
        for (CudaResidency r : residency(zero.source())) {
            assertEquals(0, r.streamDevice());
            assertEquals(0, r.weightsDevice());
        }
        assertTrue(gpu0.usedBytes() - before0 >= held1, "GPU 0 holds the second source's lanes");
        for (int i = 0; i < clips.size(); i++) {
            SameRows.assertSameRow(zero.rows().get(i), oneAgain.rows().get(i), "clip " + i + " on GPU 0 and GPU 1");
            SameRows.assertSameRow(one.rows().get(i), oneAgain.rows().get(i), "clip " + i + " twice on GPU 1");
        }
        zero.source().close();
        one.source().close();
    }

    /** A task thread, as Spark's executor runs one: the source for its GPU address, then a batch gazed on it. */
    private static FutureTask<TaskRun> task(GazeSourceHolder holder, GazeSourceSpec spec, String gpu,
                                            List<RgbClip> clips) {
        FutureTask<TaskRun> t = new FutureTask<>(() -> {
            GazeSource source = holder.source(spec, gpu);
            return new TaskRun(source, source.gazeEach(clips, GazeOptions.defaults()));
        });
        new Thread(t, "task-gpu-" + gpu).start();
        return t;
    }

    private static List<CudaResidency> residency(GazeSource source) {
        return ((AutoGazeGazeSource) source).model().cudaResidency();
    }

    /** Six 16-frame clips of two sizes, the square starting further right in each. */
    private static List<RgbClip> clips() {
        List<RgbClip> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            out.add(i % 2 == 0 ? TestClips.movingSquare(224, 224, 16, 3 + 9 * i, 5)
                    : TestClips.movingSquare(320, 240, 16, 3 + 9 * i, 5));
        }
        return out;
    }
}
