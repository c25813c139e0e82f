package dev.autogaze.job;

import dev.autogaze.model.GazeSource;
import dev.autogaze.model.PatchDiffGazeSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GazeSourcesTest {

    @Test
    void holderOpensOneSourcePerSpecAndJvm() {
        GazeSource a = GazeSourceHolder.get(GazeSourceSpec.patchDiff(3f));
        GazeSource b = GazeSourceHolder.get(GazeSourceSpec.patchDiff(3f));
        GazeSource c = GazeSourceHolder.get(GazeSourceSpec.patchDiff(4f));
        assertSame(a, b);
        assertEquals(3f, ((PatchDiffGazeSource) a).threshold());
        assertEquals(4f, ((PatchDiffGazeSource) c).threshold());
    }

    @Test
    void fixtureModelIsFoundButAutogazeIsNotWiredInYet() {
        // WIRE-IN: once GazeSources.open supports autogaze, replace this with a SparkJobLocalTest run over the fixture.
        Path fixture = Path.of(System.getProperty("autogaze.shared", "../shared"),
                "fixtures/autogaze/nvidia-b1-t16/model");
        assertTrue(Files.isRegularFile(fixture.resolve("config.json")), "fixture model missing at " + fixture);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GazeSources.validate(GazeSourceSpec.autogaze(fixture.toString())));
        assertTrue(e.getMessage().contains("use --gaze-source patch-diff"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> GazeSources.open(GazeSourceSpec.autogaze(fixture.toString())));
    }

    @Test
    void nativeThreadsFollowTheTaskCores() {
        // libnd4j caps master threads at its op pool (sized from the machine's cores), so stay within 2.
        NativeThreads.configure(1, null);
        assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
        assertEquals(1, Nd4j.factory().blas().getMaxThreads());
        NativeThreads.configure(2, null);
        assertEquals(Math.min(2, Nd4j.getEnvironment().maxThreads()), Nd4j.getEnvironment().maxMasterThreads());
        assertEquals(2, Nd4j.factory().blas().getMaxThreads());
    }

    @Test
    void outsideATaskTheDeviceIsCpu() {
        assertEquals("cpu", TaskDevice.current());
        assertEquals(1, TaskDevice.taskCpus());
    }
}
