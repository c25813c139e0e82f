package dev.autogaze.cli;

import dev.autogaze.job.AutogazeJob;
import dev.autogaze.job.ClipEstimates;
import dev.autogaze.job.JobOptions;
import dev.autogaze.job.ProcessorFactory;
import dev.autogaze.job.RunSummary;
import dev.autogaze.job.VideoListing;
import dev.autogaze.job.VideoTask;
import dev.autogaze.job.WorkPlan;
import dev.autogaze.video.SampleShards;
import dev.autogaze.video.SampleVideos;
import dev.autogaze.video.SamplingOptions;
import dev.autogaze.video.VideoDataset;
import dev.autogaze.video.VideoRef;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The work-balancing benchmark of docs/performance.md: the job on a heavy-tailed synthetic dataset (many short
 * videos, a few long ones) balanced by video count and by clips, with max/median task time and wall time; and the
 * driver's listing and planning time for a large manifest and for many WebDataset shards.
 */
@Command(name = "bench-balance", mixinStandardHelpOptions = true,
        description = "Measure work balancing (by videos vs by clips) on a heavy-tailed dataset, and listing/planning"
                + " time for a large manifest and many shards.")
public final class BenchBalanceCommand implements Callable<Integer> {

    @Option(names = "--data", description = "Folder for the generated datasets (reused when present; default: a new"
            + " temporary folder).")
    Path data;

    @Option(names = "--short", defaultValue = "1000", description = "Short videos: 16 frames, one clip (default ${DEFAULT-VALUE}).")
    int shortVideos;

    @Option(names = "--long", defaultValue = "5", description = "Long videos (default ${DEFAULT-VALUE}).")
    int longVideos;

    @Option(names = "--long-seconds", defaultValue = "600", description = "Their length in seconds, at 8 fps (default ${DEFAULT-VALUE}).")
    int longSeconds;

    @Option(names = "--cores", defaultValue = "2", description = "Spark local cores (default ${DEFAULT-VALUE}).")
    int cores;

    @Option(names = "--partitions", defaultValue = "8", description = "Partitions per run (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--videos-per-commit", defaultValue = "1000",
            description = "Videos per commit wave of the job runs (default ${DEFAULT-VALUE}).")
    int videosPerCommit;

    @Option(names = "--manifest-rows", defaultValue = "100000", description = "Rows of the listing benchmark's manifest (default ${DEFAULT-VALUE}).")
    int manifestRows;

    @Option(names = "--shards", defaultValue = "1000", description = "Shards of the listing benchmark (default ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--skip-job", description = "Only the listing and planning benchmark.")
    boolean skipJob;

    @Override
    public Integer call() throws Exception {
        Path dir = data != null ? data : Files.createTempDirectory("autogaze-bench-balance");
        listingAndPlanning(dir);
        if (!skipJob) {
            jobs(dir);
        }
        return 0;
    }

    private void jobs(Path dir) throws Exception {
        Path videos = dir.resolve("heavy-tail");
        if (!Files.isDirectory(videos)) {
            long t0 = System.nanoTime();
            Files.createDirectories(videos);
            SampleVideos.Spec shortSpec = new SampleVideos.Spec("s", 64, 48, 16, 8, SampleVideos.Codec.H264, 1);
            Path first = videos.resolve(String.format(Locale.ROOT, "short%05d.mp4", 0));
            SampleVideos.write(first, shortSpec);
            for (int i = 1; i < shortVideos; i++) {
                Files.copy(first, videos.resolve(String.format(Locale.ROOT, "short%05d.mp4", i)));
            }
            for (int i = 0; i < longVideos; i++) {
                SampleVideos.write(videos.resolve("zlong" + i + ".mp4"), new SampleVideos.Spec("l", 64, 48,
                        longSeconds * 8, 8, SampleVideos.Codec.H264, 2 + i));
            }
            System.out.printf("bench-balance: wrote %d short and %d long videos in %.1f s%n", shortVideos, longVideos,
                    (System.nanoTime() - t0) / 1e9);
        }
        SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("autogaze-bench-balance")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
            // Warm-up (JIT, Spark code generation, native libraries) on ten short videos, not measured.
            JobOptions warm = JobOptions.defaults(videos.resolve("short0000*.mp4").toString(),
                    dir.resolve("out-warmup").toString()).withPartitions(cores);
            new AutogazeJob(spark, warm, ProcessorFactory.standard(), quiet)
                    .run(VideoListing.list(warm, spark.sparkContext().hadoopConfiguration()));
            System.out.printf("%-8s %7s %6s %8s %9s %10s %8s %9s%n", "balance", "wall_s", "tasks", "split",
                    "plan_s", "max_task_s", "median_s", "max/med");
            for (JobOptions.Balance b : new JobOptions.Balance[] {JobOptions.Balance.VIDEOS, JobOptions.Balance.CLIPS}) {
                JobOptions o = JobOptions.defaults(videos.toString(), dir.resolve("out-" + b).toString())
                        .withPartitions(partitions).withBalance(b, 0).withVideosPerCommit(videosPerCommit);
                VideoDataset.Listing listing = VideoListing.list(o, spark.sparkContext().hadoopConfiguration());
                RunSummary s = new AutogazeJob(spark, o, ProcessorFactory.standard(), quiet).run(listing);
                Map<String, Object> work = s.toMap().get("work") instanceof Map<?, ?> m ? cast(m) : Map.of();
                System.out.printf("%-8s %7.1f %6s %8s %9s %10s %8s %9s   (%d clips)%n",
                        b.name().toLowerCase(Locale.ROOT), s.wallSeconds(), work.get("tasks"),
                        work.get("videos_split"), work.get("planning_seconds"), work.get("max_task_seconds"),
                        work.get("median_task_seconds"), work.get("max_over_median"), s.clips());
            }
        } finally {
            spark.stop();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private void listingAndPlanning(Path dir) throws Exception {
        Configuration conf = new Configuration();
        Path manifest = dir.resolve("manifest-" + manifestRows + ".csv");
        if (!Files.exists(manifest)) {
            try (Writer w = Files.newBufferedWriter(manifest, StandardCharsets.UTF_8)) {
                w.write("path,video_id,frames,fps,caption\n");
                for (int i = 0; i < manifestRows; i++) {
                    // heavy tail: every 1000th video is 100x longer
                    w.write(String.format(Locale.ROOT, "/data/v/%07d.mp4,v%07d,%d,24,\"clip %d, a caption\"%n",
                            i, i, i % 1000 == 0 ? 24000 : 240, i));
                }
            }
        }
        JobOptions m = JobOptions.defaults(manifest.toString(), dir.resolve("unused").toString());
        time("manifest " + manifestRows + " rows", m, conf);
        Path shardDir = dir.resolve("shards-" + shards);
        if (!Files.isDirectory(shardDir)) {
            Files.createDirectories(shardDir);
            for (int s = 0; s < shards; s++) {
                Map<String, byte[]> members = new LinkedHashMap<>();
                for (int k = 0; k < 20; k++) {
                    String key = String.format(Locale.ROOT, "%05d%04d", s, k);
                    members.put(key + ".mp4", new byte[4096 + k * 512]);
                    members.put(key + ".json", ("{\"caption\": \"sample " + key + "\", \"frames\": 240}")
                            .getBytes(StandardCharsets.UTF_8));
                    members.put(key + ".txt", ("sample " + key).getBytes(StandardCharsets.UTF_8));
                }
                SampleShards.writeTar(shardDir.resolve(String.format(Locale.ROOT, "%05d.tar", s)), members);
            }
        }
        JobOptions w = JobOptions.defaults(shardDir.resolve("{00000.." + String.format(Locale.ROOT, "%05d", shards - 1)
                + "}.tar").toString(), dir.resolve("unused").toString()).withKeepColumns(List.of("caption", "frames"));
        time(shards + " shards x 20 samples, --keep-columns caption,frames", w, conf);
    }

    /** Lists the input and plans its work (estimates from columns, split, waves, partitions), as the driver does. */
    private void time(String what, JobOptions o, Configuration conf) throws Exception {
        for (int round = 0; round < 2; round++) {
            long t0 = System.nanoTime();
            VideoDataset.Listing listing = VideoListing.list(o, conf);
            long t1 = System.nanoTime();
            List<VideoTask> tasks = new ArrayList<>(listing.videos().size());
            for (VideoRef r : listing.videos()) {
                tasks.add(VideoTask.of(r));
            }
            Map<String, Integer> clips = ClipEstimates.of(null, tasks, o, 64);
            List<VideoTask> split = WorkPlan.split(tasks, clips, WorkPlan.autoSplit(clips, tasks, 64, o.videosPerCommit()));
            int parts = 0;
            double worst = 0;
            for (List<VideoTask> wave : WorkPlan.waves(split, o.videosPerCommit())) {
                List<List<VideoTask>> p = WorkPlan.partitions(wave, clips, 64);
                parts += p.size();
                worst = Math.max(worst, WorkPlan.imbalance(p, clips));
            }
            long t2 = System.nanoTime();
            System.out.printf("%s (round %d): %d videos, %d estimated, listing %.2f s, planning %.2f s (%d tasks, %d"
                            + " partitions, worst max/mean %.3f)%n", what, round + 1, listing.videos().size(),
                    clips.size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, split.size(), parts, worst);
        }
    }
}
