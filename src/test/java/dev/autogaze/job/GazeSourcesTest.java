package dev.autogaze.job;

import dev.autogaze.model.GazeSource;
import dev.autogaze.model.PatchDiffGazeSource;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    void autogazeOpensTheFixtureModelAsTheAutogazeSource() {
        Path model = Fixtures.autogazeSet("nvidia-b1-t16").resolve("model");
        GazeSourceSpec spec = GazeSourceSpec.autogaze(model.toString());
        GazeSources.validate(spec);
        try (GazeSource source = GazeSources.open(spec)) {
            assertEquals("autogaze", source.name());
            assertEquals(ScaleLayout.released(), source.layout());
        }
    }

    @Test
    void aModelWhoseWeightsDoNotFitItsConfigFailsValidationNamingTheTensor(@TempDir Path tmp) throws Exception {
        Path model = Fixtures.autogazeSet("nvidia-b1-t16").resolve("model");
        Files.writeString(tmp.resolve("config.json"), Files.readString(model.resolve("config.json"))
                .replace("\"intermediate_size\": 384", "\"intermediate_size\": 320"));
        Files.copy(model.resolve("model.safetensors"), tmp.resolve("model.safetensors"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GazeSources.validate(GazeSourceSpec.autogaze(tmp.toString())));
        assertTrue(e.getMessage().startsWith("--model " + tmp + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("mlp.gate_proj.weight: expected [320, 192], found [384, 192]"),
                e.getMessage());
    }

    @Test
    void aMissingModelPathFailsValidationNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GazeSources.validate(GazeSourceSpec.autogaze("/no/such/model")));
        assertEquals("--model /no/such/model does not exist", e.getMessage());
    }

    @Test
    void nativeThreadsFollowTheTaskCores() {
        // libnd4j caps master threads at its op pool (sized from the machine's cores), so stay within 2.
        NativeThreads.configure(1);
        assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
        assertEquals(1, Nd4j.factory().blas().getMaxThreads());
        try {
            NativeThreads.configure(2);
            assertEquals(Math.min(2, Nd4j.getEnvironment().maxThreads()), Nd4j.getEnvironment().maxMasterThreads());
            assertEquals(2, Nd4j.factory().blas().getMaxThreads());
        } finally {
            // process-wide: later tests in this JVM keep the executors' one BLAS thread (see pom.xml, surefire)
            NativeThreads.configure(1);
        }
    }

    @Test
    void outsideATaskTheDeviceIsCpu() {
        assertEquals("cpu", TaskDevice.current());
        assertEquals(1, TaskDevice.taskCpus());
    }
}
