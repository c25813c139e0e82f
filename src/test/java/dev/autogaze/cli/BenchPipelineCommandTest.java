package dev.autogaze.cli;

import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** bench-pipeline's --gpus fails on one line, naming the flags, before any video is written or engine opened. */
class BenchPipelineCommandTest {

    private static List<String> errorLines(String... gpuFlags) {
        String model = Fixtures.autogazeSet("nvidia-b1-t16").resolve("model").toString();
        List<String> args = new ArrayList<>(List.of("bench-pipeline", "--model", model, "--copies", "1"));
        args.addAll(List.of(gpuFlags));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        return r.err().lines().toList();
    }

    @Test
    void gpusNeedTheCudaEngineDistinctAddressesAndNoGpuBesideThem() {
        assertEquals(List.of("autogaze bench-pipeline: --gpus 0,1 needs --engine cuda"),
                errorLines("--engine", "jvm", "--gpus", "0,1"));
        assertEquals(List.of("autogaze bench-pipeline: --gpu 1 and --gpus 0,1 both name devices; give one of them"),
                errorLines("--engine", "cuda", "--gpu", "1", "--gpus", "0,1"));
        assertEquals(List.of("autogaze bench-pipeline: --gpus 0,0 must list distinct addresses"),
                errorLines("--engine", "cuda", "--gpus", "0,0"));
    }
}
