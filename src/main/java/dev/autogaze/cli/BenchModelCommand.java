package dev.autogaze.cli;

import dev.autogaze.model.AutoGazeModel;
import dev.autogaze.model.AutoGazeProcessor;
import dev.autogaze.model.EngineChoice;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.model.GazeResult;
import dev.autogaze.model.PixelValues;
import dev.autogaze.model.ReferenceCase;
import dev.autogaze.video.RgbClip;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Measures AutoGaze generation speed per stage on the fixture model, for the performance notes. */
@Command(name = "bench-model", mixinStandardHelpOptions = true,
        description = "Clips per second and per-stage time (encoder, prefill, decode, selection) of the AutoGaze model "
                + "at B=1 and B=8, T=16, 224x224, ratio 0.75 without task loss and ratio 0.3.")
public final class BenchModelCommand implements Callable<Integer> {

    @Option(names = "--fixture", description = "fixture set whose model and raw clips are used "
            + "(default: ../shared/fixtures/autogaze/nvidia-b1-t16)")
    Path fixture = Path.of("..", "shared", "fixtures", "autogaze", "nvidia-b1-t16");

    @Option(names = "--batch", split = ",", description = "batch sizes (default: 1,8)")
    List<Integer> batches = List.of(1, 8);

    @Option(names = "--ratio", split = ",", description = "gazing ratios (default: 0.75,0.3)")
    List<Float> ratios = List.of(0.75f, 0.3f);

    @Option(names = "--warmup", description = "untimed runs per configuration (default: 1)")
    int warmup = 1;

    @Option(names = "--iterations", description = "timed runs per configuration (default: 3)")
    int iterations = 3;

    /** What each timed call starts from. */
    enum Input { clips, pixels }

    @Option(names = "--input", description = "clips = RGB clips through the processor (default); pixels = processed "
            + "pixel values (the model alone, as the official model-only numbers)")
    Input input = Input.clips;

    @Option(names = "--threads", description = "decoder worker threads (default: 0 = available processors); "
            + "OpenBLAS (encoder) threads: -Dautogaze.blas.threads")
    int threads = 0;

    @Mixin
    EngineMixin engine;

    @Override
    public Integer call() {
        EngineChoice choice = engine.choice();
        if (warmup < 0 || iterations < 1) {
            throw new IllegalArgumentException("--warmup " + warmup + " must be >= 0 and --iterations " + iterations
                    + " >= 1");
        }
        int cudaLanes = engine.cudaLanes();
        Path model = fixture.resolve("model");
        if (!Files.isDirectory(model)) {
            throw new IllegalArgumentException("fixture " + fixture.toAbsolutePath() + " has no model folder");
        }
        List<RgbClip> source = ReferenceCase.rawClips(fixture);
        int frames = source.get(0).frameCount();
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        AutoGazeModel gaze = AutoGazeModel.load(model, workers, choice, engine.gpu(), cudaLanes);
        List<PixelValues> processed = new java.util.ArrayList<>();
        AutoGazeProcessor processor = AutoGazeProcessor.forModel(model);
        for (RgbClip c : source) {
            processed.add(processor.process(c));
        }
        System.out.printf(Locale.ROOT, "model %s, clips of %d frames %dx%d from %s (processor + encoder + decoder), "
                + "engine %s, input %s, %d warmup + %d timed runs, load average %.1f%n", model, frames, source.get(0).width(),
                source.get(0).height(), fixture.resolve("inputs.safetensors"), gaze.engine(), input, warmup, iterations,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "%-4s %-6s %7s %10s %10s %10s %10s %10s %9s %10s %8s %9s%n", "B", "ratio", "calls",
                "encoder", "prefill", "decode", "select", "s/clip", "clips/s", "cpu s/clip", "heap MB", "device MB");
        for (int batch : batches) {
            List<RgbClip> clips = new java.util.ArrayList<>();
            List<PixelValues> pixels = new java.util.ArrayList<>();
            for (int b = 0; b < batch; b++) {
                clips.add(source.get(b % source.size()));
                pixels.add(processed.get(b % processed.size()));
            }
            // the job's path: every clip as if alone (the same rows as one shared call here: no task-loss stop)
            java.util.function.Function<GazeOptions, List<GazeResult>> call = input == Input.clips
                    ? o -> gaze.generateEach(clips, o) : o -> gaze.generateEachPixels(pixels, o);
            for (float ratio : ratios) {
                GazeOptions options = GazeOptions.defaults().withRatio(ratio);
                for (int i = 0; i < warmup; i++) {
                    call.apply(options);
                }
                GazeResult.Timings sum = GazeResult.Timings.ZERO;
                long wall = 0;
                long cpu0 = ProcessCpu.nanos();
                for (int i = 0; i < iterations; i++) {
                    long t0 = System.nanoTime();
                    List<GazeResult> r = call.apply(options);
                    wall += System.nanoTime() - t0;
                    sum = sum.plus(r.get(0).timings()); // the first lane's call
                }
                double cpuPerClip = (ProcessCpu.nanos() - cpu0) / 1e9 / iterations / batch;
                String profile = gaze.cuda() != null ? gaze.cuda().kernelProfile() : "";
                System.gc();
                Runtime rt = Runtime.getRuntime();
                long heapMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
                double perClip = wall / 1e9 / iterations / batch;
                int calls = (sum.prefillCalls() + sum.decodeCalls()) / iterations;
                System.out.printf(Locale.ROOT, "%-4d %-6.2f %7d %10s %10s %10s %10s %10.4f %9.2f %10.3f %8d %9d%n",
                        batch, ratio, calls, ms(sum.encoderNanos(), iterations), ms(sum.prefillNanos(), iterations),
                        ms(sum.decodeNanos(), iterations), ms(sum.selectNanos(), iterations), perClip, 1 / perClip,
                        cpuPerClip, heapMb, gaze.deviceBytes() >> 20);
                System.out.print(profile);
            }
        }
        gaze.close();
        System.out.println("stage columns: ms per batch call (all B clips; the first lane's part with cuda lanes);"
                + " s/clip = wall time / B; cpu s/clip = process CPU time / B (all threads); device MB = GPU memory the"
                + " cuda engine holds (weights, encoder scratch, the batch's workspace)"
                + (gaze.cuda() != null ? "; device " + gaze.cuda().memoryLine() : ""));
        return 0;
    }

    private static String ms(long nanos, int iterations) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6 / iterations);
    }
}
