package dev.autogaze.cli;

import dev.autogaze.job.AutogazeJob;
import dev.autogaze.job.GazeSourceHolder;
import dev.autogaze.job.GazeSourceSpec;
import dev.autogaze.job.GazeSources;
import dev.autogaze.job.JobOptions;
import dev.autogaze.job.ProcessorFactory;
import dev.autogaze.job.RunSummary;
import dev.autogaze.model.GazeSource;
import dev.autogaze.model.PatchDiffGazeSource;
import dev.autogaze.video.ClipStream;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.RgbClip;
import dev.autogaze.video.SampleVideos;
import dev.autogaze.video.VideoDataset;
import dev.autogaze.video.VideoRef;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The job-overhead benchmark of docs/performance.md: on the same clips in the same JVM, end-to-end job clips/s
 * (decode + gaze + readout + Parquet through Spark local mode) against gaze-source-only clips/s (clips decoded
 * beforehand, B clips of any videos per gazeEach call as the job batches them, on as many threads as Spark has
 * cores).
 */
@Command(name = "bench-job", mixinStandardHelpOptions = true,
        description = "Measure the job's own overhead: end-to-end clips/s vs gaze-source-only clips/s on the same clips.")
public final class BenchJobCommand implements Callable<Integer> {

    @Option(names = "--input", description = "Videos (default: the sample set, repeated --copies times).")
    String input;

    @Option(names = "--copies", defaultValue = "8", description = "Copies of each sample video (default ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--cores", defaultValue = "2", description = "Spark local cores and gaze threads (default ${DEFAULT-VALUE}).")
    int cores;

    @Option(names = "--gaze-source", defaultValue = "patch-diff", description = "autogaze or patch-diff.")
    String gazeSource;

    @Option(names = "--model", description = "AutoGaze model directory or HF cache root.")
    String model;

    @Mixin
    EngineMixin engine;

    @Option(names = {"-b", "--batch-size"}, defaultValue = "4", description = "Clips per gaze call (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--rounds", defaultValue = "2", description = "Measured rounds of each side (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--emit-patches", description = "The job also writes the tokens' pixels (as run --emit-patches).")
    boolean emitPatches;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("autogaze-bench-job");
        String in = input != null ? input : sampleManifest(work);
        GazeSourceSpec spec = engine.withLanes(GazeSourceSpec.fromFlags(gazeSource, model,
                PatchDiffGazeSource.DEFAULT_THRESHOLD, engine.value()));
        GazeSources.validate(spec);
        JobOptions options = JobOptions.defaults(in, work.resolve("out").toString()).withGazeSource(spec)
                .withBatchSize(batchSize).withPartitions(cores * 2).withEmitPatches(emitPatches);
        List<VideoRef> videos = VideoDataset.load(in, new Configuration());

        List<List<DecodedClip>> decoded = new ArrayList<>();
        long clips = 0;
        for (VideoRef v : videos) {
            List<DecodedClip> list = new ArrayList<>();
            try (ClipStream s = ClipStream.open(v, Path.of(v.path()), options.sampling())) {
                for (DecodedClip c = s.next(); c != null; c = s.next()) {
                    list.add(c);
                }
            }
            decoded.add(list);
            clips += list.size();
        }
        System.out.printf("bench-job: %d videos, %d clips of %d frames, gaze source %s, B=%d, %d cores%s%n",
                videos.size(), clips, options.sampling().clipLength(), spec, batchSize, cores,
                emitPatches ? ", patches exported" : "");

        SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("autogaze-bench-job")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
            // Warm-up: JIT, Spark code generation, native libraries, the executor's gaze source.
            new AutogazeJob(spark, options, ProcessorFactory.standard(), quiet).run(videos);
            gazeOnly(spec, options, decoded);
            System.out.println("round  end-to-end clips/s  gaze-only clips/s  overhead  (task s: decode / gaze / readout)");
            for (int r = 1; r <= rounds; r++) {
                RunSummary s = new AutogazeJob(spark, options, ProcessorFactory.standard(), quiet).run(videos);
                double e2e = s.clips() / s.wallSeconds();
                double only = clips / gazeOnly(spec, options, decoded);
                System.out.printf("%5d  %18.2f  %17.2f  %7.1f %%  (%.2f / %.2f / %.2f)%n", r, e2e, only,
                        100 * (1 - e2e / only), s.decodeSeconds(), s.gazeSeconds(), s.readoutSeconds());
            }
        } finally {
            spark.stop();
        }
        return 0;
    }

    /**
     * Seconds to gaze every clip on `cores` threads (one per Spark task), each taking B clips of any videos per
     * gazeEach call as the job's gaze loop does.
     */
    private double gazeOnly(GazeSourceSpec spec, JobOptions options, List<List<DecodedClip>> decoded) throws Exception {
        GazeSource source = GazeSourceHolder.get(spec);
        List<RgbClip> all = new ArrayList<>();
        decoded.forEach(video -> video.forEach(c -> all.add(c.frames())));
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int task = 0; task < cores; task++) {
                List<RgbClip> share = all.subList(all.size() * task / cores, all.size() * (task + 1) / cores);
                done.add(pool.submit(() -> {
                    for (int from = 0; from < share.size(); from += batchSize) {
                        List<RgbClip> batch = share.subList(from, Math.min(share.size(), from + batchSize));
                        if (source.threadSafe()) {
                            source.gazeEach(batch, options.gaze());
                        } else {
                            synchronized (source) {
                                source.gazeEach(batch, options.gaze());
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdown();
        }
    }

    /** The sample videos, each listed `copies` times under its own id. */
    private String sampleManifest(Path work) throws Exception {
        List<Path> files = SampleVideos.writeDefaultSet(work.resolve("samples"));
        StringBuilder csv = new StringBuilder("path,video_id\n");
        for (int k = 0; k < copies; k++) {
            for (Path f : files) {
                csv.append(f).append(",copy").append(k).append('/').append(f.getFileName()).append('\n');
            }
        }
        Path manifest = work.resolve("videos.csv");
        Files.writeString(manifest, csv);
        return manifest.toString();
    }
}
