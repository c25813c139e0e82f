package dev.autogaze.cli;

import dev.autogaze.job.ClipOpener;
import dev.autogaze.job.GazeSourceSpec;
import dev.autogaze.job.GazeSources;
import dev.autogaze.job.JobOptions;
import dev.autogaze.job.LocalPipeline;
import dev.autogaze.job.VideoTask;
import dev.autogaze.model.GazeSource;
import dev.autogaze.model.PatchDiffGazeSource;
import dev.autogaze.model.PreparedClip;
import dev.autogaze.video.SampleVideos;
import dev.autogaze.video.VideoRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The executor-side pipeline without Spark (decode -> processor -> gaze -> readout, rows counted and dropped) next to
 * decoding alone on the same threads and videos, alternating, so one run says whether decoding or the gaze source
 * bounds an executor. Local files only (no Hadoop), so it runs on the model's slim classpath (ModelCli).
 */
@Command(name = "bench-pipeline", mixinStandardHelpOptions = true,
        description = "Executor pipeline clips/s without Spark (decode, gaze, readout) against decoding alone.")
public final class BenchPipelineCommand implements Callable<Integer> {

    @Option(names = "--input", split = ",", description = "Video files (default: the bench set, 640x360 H.264 and "
            + "VP9, 10 s each, written to a temporary folder).")
    List<Path> input;

    @Option(names = "--copies", defaultValue = "8", description = "Times each video is listed, under its own id "
            + "(default ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--gaze-source", defaultValue = "autogaze", description = "autogaze or patch-diff "
            + "(default ${DEFAULT-VALUE}).")
    String gazeSource;

    @Option(names = "--model", description = "AutoGaze model directory (for --gaze-source autogaze).")
    String model;

    @Mixin
    EngineMixin engine;

    @Option(names = {"-b", "--batch-size"}, defaultValue = "64", description = "Clips per gaze call "
            + "(default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--decoders", defaultValue = "0", description = "Decoding threads per task (default: 0 = as the"
            + " job sizes them from a task's cores, here the processors shared by the tasks: all of them, less the"
            + " gaze loop and lanes for --engine cuda).")
    int decoders;

    @Option(names = "--gpus", split = ",", description = "With --engine cuda: one GPU against several (addresses, "
            + "e.g. 0,1). Each round runs the pipeline on the first alone over every video, then one task per GPU at "
            + "once, as an executor's tasks given one GPU each: its own source, --decoders threads and an equal "
            + "share of the videos.")
    List<String> gpus;

    @Option(names = "--rounds", defaultValue = "2", description = "Measured rounds of each side (default "
            + "${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws Exception {
        if (copies < 1 || batchSize < 1 || rounds < 1 || decoders < 0) {
            throw new IllegalArgumentException("--copies, --batch-size and --rounds must be >= 1, --decoders >= 0");
        }
        GazeSourceSpec spec = engine.withLanes(GazeSourceSpec.fromFlags(gazeSource, model,
                PatchDiffGazeSource.DEFAULT_THRESHOLD, engine.value()));
        if (gpus != null) {
            checkGpus(spec);
        }
        GazeSources.validate(spec);
        List<Path> files = input != null ? input
                : SampleVideos.writeSet(Files.createTempDirectory("autogaze-bench-pipeline"), SampleVideos.BENCH_SET);
        List<VideoTask> videos = new ArrayList<>();
        for (int k = 0; k < copies; k++) {
            for (Path f : files) {
                VideoRef ref = VideoRef.of(f.toString());
                videos.add(VideoTask.of(new VideoRef("copy" + k + "/" + ref.videoId(), ref.path(), null, null, null,
                        null)));
            }
        }
        JobOptions asked = JobOptions.defaults("bench", "bench").withGazeSource(spec).withBatchSize(batchSize)
                .withDecoders(decoders);
        // each task gets an equal share of this machine's cores, as an executor's tasks of one GPU each would
        int threads = asked.decodersFor(Runtime.getRuntime().availableProcessors() / (gpus == null ? 1 : gpus.size()));
        JobOptions options = asked.withDecoders(threads);
        ClipOpener opener = ClipOpener.localFiles(options.sampling());
        if (gpus != null) {
            return compareGpus(spec, options, opener, threads, videos, files.size());
        }
        try (GazeSource source = GazeSources.open(spec, engine.gpu())) {
            warmUp(options, source, opener, threads, videos);
            System.out.printf(Locale.ROOT, "bench-pipeline: %d videos (%d files x %d copies), %s, B=%d, %d decoding "
                    + "threads, %d processors%n", videos.size(), files.size(), copies, source.name(), batchSize,
                    threads, Runtime.getRuntime().availableProcessors());
            System.out.println("round  pipeline clips/s  decode clips/s  decode+prepare clips/s  clips  errors"
                    + "  (pipeline s: wall / gaze loop / readout / decoding thread-s)");
            for (int r = 1; r <= rounds; r++) {
                LocalPipeline.Result p = LocalPipeline.run(options, source, opener, threads, videos);
                LocalPipeline.Result d = LocalPipeline.decodeOnly(opener, c -> new PreparedClip(c, null), threads,
                        videos);
                LocalPipeline.Result dp = LocalPipeline.decodeOnly(opener, source::prepare, threads, videos);
                System.out.printf(Locale.ROOT, "%5d  %16.2f  %14.2f  %22.2f  %5d  %6d  (%.2f / %.2f / %.2f / %.2f)%n",
                        r, p.clipsPerSecond(), d.clipsPerSecond(), dp.clipsPerSecond(), p.clips(),
                        p.errors() + d.errors() + dp.errors(), p.wallSeconds(), p.gazeSeconds(), p.readoutSeconds(),
                        p.decodeSeconds());
            }
            System.out.println("decode = decoding threads alone; decode+prepare = they also run the gaze source's host"
                    + " part (AutoGaze's processor), as in the pipeline; gaze loop = the engine's calls (and the"
                    + " host part of clips that were not prepared)");
        }
        return 0;
    }

    /** JIT, native libraries, kernels compiled or read from the cache, the engine's buffers: a few videos' worth. */
    private void warmUp(JobOptions options, GazeSource source, ClipOpener opener, int threads,
                        List<VideoTask> videos) {
        LocalPipeline.run(options, source, opener, threads, videos.subList(0, Math.min(videos.size(),
                Math.max(2, batchSize / 4))));
    }

    /** --gpus needs the cuda engine, distinct addresses, and no --gpu beside it. */
    private void checkGpus(GazeSourceSpec spec) {
        if (engine.gpu() != null) {
            throw new IllegalArgumentException("--gpu " + engine.gpu() + " and --gpus " + String.join(",", gpus)
                    + " both name devices; give one of them");
        }
        if (!spec.runsOnCuda()) {
            throw new IllegalArgumentException("--gpus " + String.join(",", gpus) + " needs --engine cuda");
        }
        if (gpus.isEmpty() || new HashSet<>(gpus).size() != gpus.size()) {
            throw new IllegalArgumentException("--gpus " + String.join(",", gpus) + " must list distinct addresses");
        }
    }

    /** The pipeline on the first GPU alone against one task per GPU at once, rounds alternating (--gpus). */
    private int compareGpus(GazeSourceSpec spec, JobOptions options, ClipOpener opener, int threads,
                            List<VideoTask> videos, int files) {
        List<GazeSource> sources = new ArrayList<>();
        try {
            for (String address : gpus) {
                GazeSource source = GazeSources.open(spec, address);
                sources.add(source);
                warmUp(options, source, opener, threads, videos);
            }
            int n = gpus.size();
            List<List<VideoTask>> shares = LocalPipeline.deal(videos, n);
            System.out.printf(Locale.ROOT, "bench-pipeline: %d videos (%d files x %d copies), %s, B=%d, GPUs %s, %d"
                    + " decoding threads per task, %d processors%n", videos.size(), files, copies,
                    sources.get(0).name(), batchSize, String.join(",", gpus), threads,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "round  1 GPU clips/s  %d GPUs clips/s  ratio  decode clips/s (%d threads)"
                    + "  clips  errors  (cores busy: 1 GPU / %d GPUs; gaze loop s per task: 1 GPU / %d GPUs; wall s)%n",
                    n, n * threads, n, n);
            for (int r = 1; r <= rounds; r++) {
                long cpu0 = ProcessCpu.nanos();
                LocalPipeline.Result one = LocalPipeline.run(options, sources.get(0), opener, threads, videos);
                long cpu1 = ProcessCpu.nanos();
                LocalPipeline.Result all = LocalPipeline.runTasks(options, sources, opener, threads, shares);
                long cpu2 = ProcessCpu.nanos();
                LocalPipeline.Result decode = LocalPipeline.decodeOnly(opener, sources.get(0)::prepare, n * threads,
                        videos);
                System.out.printf(Locale.ROOT, "%5d  %13.2f  %14.2f  %5.2f  %27.2f  %5d  %6d  (%.1f / %.1f;"
                        + " %.2f / %.2f; %.2f / %.2f)%n", r, one.clipsPerSecond(), all.clipsPerSecond(),
                        all.clipsPerSecond() / one.clipsPerSecond(), decode.clipsPerSecond(), all.clips(),
                        one.errors() + all.errors() + decode.errors(), (cpu1 - cpu0) / 1e9 / one.wallSeconds(),
                        (cpu2 - cpu1) / 1e9 / all.wallSeconds(), one.gazeSeconds(), all.gazeSeconds() / n,
                        one.wallSeconds(), all.wallSeconds());
            }
            System.out.println("1 GPU = one task on the first GPU over every video; " + n + " GPUs = one task per"
                    + " GPU at once over a share each; decode = all the tasks' decoding threads with the processor,"
                    + " nothing waiting for them; cores busy = the JVM's CPU time over the wall time");
        } finally {
            sources.forEach(GazeSource::close);
        }
        return 0;
    }
}
