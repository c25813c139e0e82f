package dev.autogaze.job;

import dev.autogaze.io.ErrorRow;
import dev.autogaze.io.OutputCommits;
import dev.autogaze.io.OutputSchema;
import dev.autogaze.video.VideoDataset;
import dev.autogaze.video.VideoRef;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Spark batch job: lists nothing and decides nothing itself. The driver filters the given videos (resume),
 * cuts them into waves of {@code videosPerCommit}, and per wave runs {@link PartitionTask} over the partitions and
 * writes the wave's clip and error rows through {@link OutputCommits} (staged, committed, published whole: a rerun
 * after a kill at any moment neither loses nor repeats a row); the summary follows. {@link #main} is the
 * spark-submit entry point, with the CLI's `run` options.
 */
public final class AutogazeJob {

    /** The error stage of a manifest row that names no usable video. */
    public static final String STAGE_MANIFEST = VideoDataset.STAGE_MANIFEST;

    private final SparkSession spark;
    private final JobOptions options;
    private final ProcessorFactory factory;
    private final PrintStream progressOut;

    public AutogazeJob(SparkSession spark, JobOptions options, ProcessorFactory factory, PrintStream progressOut) {
        this.spark = spark;
        this.options = options;
        this.factory = factory;
        this.progressOut = progressOut;
    }

    /** Runs the job over these videos (already listed and validated by the caller) and writes the summary. */
    public RunSummary run(List<VideoRef> videos) throws IOException {
        return run(new VideoDataset.Listing(videos, List.of()));
    }

    /**
     * Runs the job over a listing: its rejected manifest rows become MANIFEST error rows (in a wave of their own,
     * before the videos), its videos are processed; then the summary is written.
     */
    public RunSummary run(VideoDataset.Listing listing) throws IOException {
        List<VideoRef> videos = listing.videos();
        long start = System.nanoTime();
        List<PassThroughColumn> passThrough = new ArrayList<>();
        for (String c : options.keepColumns()) {
            passThrough.add(new PassThroughColumn(c, listing.typeOf(c)));
        }
        StructType clipSchema = OutputSchema.clips(PassThroughColumn.fields(passThrough));
        String hash = ConfigHash.of(options);
        String canonical = ConfigHash.canonical(options);
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path given = new Path(options.output());
        FileSystem fs = given.getFileSystem(hadoop);
        OutputCommits commits = new OutputCommits(fs, given);
        // qualified on the driver (a relative --out names its working folder): executors must not resolve it
        // against their own working folders
        Path out = commits.root();
        Path clipsPath = commits.clipsDir();
        Path errorsPath = commits.errorsDir();
        Path summaryPath = new Path(out, OutputSchema.SUMMARY_FILE);
        if (options.mode() == WriteMode.OVERWRITE) {
            for (Path p : new Path[] {clipsPath, errorsPath, commits.stagingDir()}) {
                fs.delete(p, true);
            }
            fs.delete(summaryPath, false);
        } else {
            OutputCommits.Recovery recovery = commits.recover();
            if (!recovery.isEmpty()) {
                progressOut.println("autogaze run: finished what an earlier run left in " + options.output() + ": "
                        + recovery);
            }
        }
        List<VideoTask> todo = new ArrayList<>(videos.size());
        Set<String> done = options.mode() == WriteMode.RESUME ? doneVideos(clipsPath, errorsPath, hash, fs) : Set.of();
        boolean split = false;
        for (VideoRef v : videos) {
            split |= v.split() != null;
            if (!done.contains(v.videoId())) {
                todo.add(VideoTask.of(v));
            }
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int parallelism = options.partitions() > 0 ? options.partitions() : jsc.defaultParallelism();
        long planStart = System.nanoTime();
        boolean byClips = options.balance() == JobOptions.Balance.CLIPS;
        Map<String, Integer> estimates = byClips && !todo.isEmpty()
                ? ClipEstimates.of(jsc, todo, options, parallelism) : Map.of();
        int splitAbove = !byClips || options.splitClips() < 0 ? 0
                : options.splitClips() > 0 ? options.splitClips() : WorkPlan.autoSplit(estimates, todo, parallelism,
                options.videosPerCommit());
        List<VideoTask> tasks = WorkPlan.split(todo, estimates, splitAbove);
        List<List<VideoTask>> waveList = WorkPlan.waves(tasks, options.videosPerCommit());
        double planSeconds = (System.nanoTime() - planStart) / 1e9;
        int splitVideos = (int) tasks.stream().filter(t -> t.clipFrom() > 0).map(VideoTask::videoId).distinct().count();
        CollectionAccumulator<Double> taskSeconds = spark.sparkContext().collectionAccumulator("autogaze.taskSeconds");
        AccumulatorCounters counters = new AccumulatorCounters(spark.sparkContext());
        JobProgress progress = new JobProgress(todo.size(), counters, progressOut, System.console() != null);
        spark.sparkContext().addSparkListener(progress);
        long errorRows = 0;
        Map<String, Long> errorsByStage = new TreeMap<>();
        int waves = 0;
        String runStamp = runStamp();
        List<ErrorRow> rejected = new ArrayList<>();
        for (VideoDataset.Rejected r : listing.rejected()) {
            if (!done.contains(r.videoId())) {
                rejected.add(new ErrorRow(r.path(), r.videoId(), r.stage(), r.reason(), 0, hash));
            }
        }
        try {
            if (!rejected.isEmpty()) {
                writeWave(commits, waveId(runStamp, ++waves), spark.createDataFrame(List.of(), clipSchema),
                        split, () -> rejected, () -> 0, 0, hash);
                errorRows += rejected.size();
                for (ErrorRow e : rejected) {
                    errorsByStage.merge(e.stage(), 1L, Long::sum);
                }
            }
            String json = JobOptionsJson.toJson(options);
            for (List<VideoTask> wave : waveList) {
                CollectionAccumulator<ErrorRow> errors = spark.sparkContext().collectionAccumulator("autogaze.errors");
                JavaRDD<VideoTask> rdd;
                if (byClips) {
                    // one element per planned partition, so Spark's slicing keeps the plan
                    List<List<VideoTask>> parts = WorkPlan.partitions(wave, estimates, parallelism);
                    rdd = jsc.parallelize(parts, parts.size()).flatMap(List::iterator);
                } else {
                    rdd = jsc.parallelize(new ArrayList<>(wave), Math.min(parallelism, wave.size()));
                }
                JavaRDD<Row> rows = rdd.mapPartitions(new PartitionTask(json, hash, counters, errors, factory,
                        passThrough, taskSeconds));
                spark.sparkContext().setJobDescription("autogaze wave " + (waves + 1) + ": " + wave.size() + " tasks");
                long clipsBefore = counters.clips();
                List<ErrorRow> failed = writeWave(commits, waveId(runStamp, ++waves),
                        spark.createDataFrame(rows, clipSchema), split, () -> WorkPlan.oneErrorPerVideo(errors.value()),
                        () -> counters.clips() - clipsBefore, wave.size(), hash);
                errorRows += failed.size();
                for (ErrorRow e : failed) {
                    errorsByStage.merge(e.stage(), 1L, Long::sum);
                }
            }
            if (!fs.exists(clipsPath) || !fs.exists(errorsPath)) {
                // Empty tables with the schema (one empty wave), so readers never special-case "no rows".
                writeWave(commits, waveId(runStamp, waves + 1), spark.createDataFrame(List.of(), clipSchema),
                        split, List::of, () -> 0, 0, hash);
            }
        } finally {
            progress.print(true);
            spark.sparkContext().removeSparkListener(progress);
        }
        OutputTotals totals = OutputTotals.read(spark, clipsPath, errorsPath);
        double wall = (System.nanoTime() - start) / 1e9;
        RunSummary summary = new RunSummary(hash, options.gazeSource().kind().label(), videos.size(), done.size(),
                counters.videos(), counters.errorVideos(), errorRows, errorsByStage, counters.clips(), counters.gazes(),
                counters.tokens(), waves, wall, counters.decodeSeconds(), counters.gazeSeconds(),
                counters.readoutSeconds(), totals, qualified(fs, clipsPath), qualified(fs, errorsPath),
                qualified(fs, summaryPath), spark.sparkContext().master(), spark.sparkContext().applicationId(),
                JobOptionsJson.toMap(options), canonical, modelUsed(options.gazeSource()),
                WorkStats.of(options.balance().name().toLowerCase(Locale.ROOT), planSeconds, estimates.size(),
                        splitVideos, taskSeconds.value()));
        writeReplacing(fs, summaryPath, summary.toJson());
        return summary;
    }

    /** The model folder an autogaze run used and its cache revision (null outside a cache); null for patch-diff. */
    static Map<String, Object> modelUsed(GazeSourceSpec spec) {
        if (spec.kind() != GazeSourceSpec.Kind.AUTOGAZE) {
            return null;
        }
        java.nio.file.Path dir = GazeSources.modelDirectory(spec);
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("folder", dir.toAbsolutePath().normalize().toString());
        m.put("revision", dev.autogaze.model.ModelLocator.revisionOf(dir));
        return m;
    }

    /**
     * One wave through the commit protocol: its clips (computed while Spark writes them), then its error rows
     * (known once the clips are written) into staging; commit; publish. A failure before the commit leaves nothing
     * visible. Returns the wave's error rows.
     */
    private List<ErrorRow> writeWave(OutputCommits commits, String id, Dataset<Row> clips, boolean split,
                                     Supplier<List<ErrorRow>> errors, LongSupplier clipCount, int videos, String hash)
            throws IOException {
        OutputCommits.Wave w = commits.begin(id);
        boolean committed = false;
        try {
            writer(clips, split).parquet(w.clips().toString());
            List<ErrorRow> failed = errors.get();
            writeErrors(failed, w.errors());
            commits.commit(w, note(w, hash, videos, clipCount.getAsLong(), failed.size()));
            committed = true;
            commits.publish(w);
            return failed;
        } finally {
            if (!committed) {
                commits.abandon(w);
            }
        }
    }

    /** A name for this run's wave n that sorts by time and no other run repeats: wave-20250101T120000Z-3f2a-00001. */
    private static String waveId(String runStamp, int n) {
        return String.format(Locale.ROOT, "wave-%s-%05d", runStamp, n);
    }

    private static String runStamp() {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + String.format("%04x", new SecureRandom().nextInt(1 << 16));
    }

    /** The commit marker's content: what the wave holds, for a person looking at a stuck staging folder. */
    private static String note(OutputCommits.Wave w, String hash, int videos, long clips, int errorRows) {
        return String.format(Locale.ROOT, "{\"wave\": \"%s\", \"config_hash\": \"%s\", \"videos\": %d, "
                + "\"clips\": %d, \"error_rows\": %d}%n", w.id(), hash, videos, clips, errorRows);
    }

    /** summary.json replaced as a whole: a kill leaves the old one or the new one, never half of one. */
    private static void writeReplacing(FileSystem fs, Path target, String text) throws IOException {
        Path tmp = new Path(target.getParent(), "_" + target.getName() + ".tmp");
        try (FSDataOutputStream o = fs.create(tmp, true)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot write " + target + " (rename of " + tmp + " failed)");
        }
    }

    private DataFrameWriter<Row> writer(Dataset<Row> df, boolean partitionBySplit) {
        DataFrameWriter<Row> w = df.write().mode(SaveMode.Append).option("compression", "zstd");
        return partitionBySplit ? w.partitionBy("split") : w;
    }

    private void writeErrors(List<ErrorRow> failed, Path errorsPath) {
        List<Row> rows = new ArrayList<>(failed.size());
        for (ErrorRow e : failed) {
            rows.add(OutputSchema.toRow(e));
        }
        spark.createDataFrame(rows, OutputSchema.ERRORS).coalesce(1).write().mode(SaveMode.Append)
                .option("compression", "zstd").parquet(errorsPath.toString());
    }

    /**
     * Video ids with a clip row or an error row of this configuration hash (for resume); published waves only. Rows
     * of another hash end the run before any work ({@link OutputConflictException}): a resume continues one
     * configuration, it does not add a second one beside it (that is what append is for).
     */
    private Set<String> doneVideos(Path clipsPath, Path errorsPath, String hash, FileSystem fs) throws IOException {
        Set<String> done = new HashSet<>();
        Set<String> otherHashes = new TreeSet<>();
        Object[][] tables = {{clipsPath, OutputSchema.CLIPS}, {errorsPath, OutputSchema.ERRORS}};
        for (Object[] t : tables) {
            Path p = (Path) t[0];
            if (fs.exists(p)) {
                // The schema is given, not inferred: a table with no data files yet reads as empty.
                for (Row r : spark.read().schema((StructType) t[1]).parquet(p.toString())
                        .select("config_hash", "video_id").distinct().collectAsList()) {
                    if (hash.equals(r.getString(0))) {
                        done.add(r.getString(1));
                    } else {
                        otherHashes.add(r.getString(0));
                    }
                }
            }
        }
        if (!otherHashes.isEmpty()) {
            throw new OutputConflictException("--mode resume: " + options.output() + " holds rows of another"
                    + " configuration (config_hash " + String.join(", ", otherHashes) + "; this run's is " + hash
                    + "), and a resume would mix the two; rerun with that run's options, or use --mode overwrite to"
                    + " replace them, --mode append to keep both (told apart by config_hash), or another --out");
        }
        return done;
    }

    private static String qualified(FileSystem fs, Path p) {
        return fs.makeQualified(p).toString();
    }
}
