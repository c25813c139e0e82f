package dev.autogaze.job;

import dev.autogaze.cli.RunCommand;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.io.OutputSchema;
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
import org.apache.spark.util.CollectionAccumulator;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.col;

/**
 * The Spark batch job: lists nothing and decides nothing itself. The driver filters the given videos (resume),
 * cuts them into waves of {@code videosPerCommit}, and per wave runs {@link PartitionTask} over the partitions and
 * appends the clip rows through Spark's Parquet committer (a killed run leaves only whole waves behind); error
 * rows and the summary follow. {@link #main} is the spark-submit entry point, with the CLI's `run` options.
 */
public final class AutogazeJob {

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

    /** spark-submit entry point: the same options as `jobs/autogaze run`. */
    public static void main(String[] args) {
        int code = new CommandLine(new RunCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the job over these videos (already listed and validated by the caller) and writes the summary. */
    public RunSummary run(List<VideoRef> videos) throws IOException {
        long start = System.nanoTime();
        String hash = ConfigHash.of(options);
        String canonical = ConfigHash.canonical(options);
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path out = new Path(options.output());
        FileSystem fs = out.getFileSystem(hadoop);
        Path clipsPath = new Path(out, OutputSchema.CLIPS_DIR);
        Path errorsPath = new Path(out, OutputSchema.ERRORS_DIR);
        Path summaryPath = new Path(out, OutputSchema.SUMMARY_FILE);
        if (options.mode() == WriteMode.OVERWRITE) {
            fs.delete(clipsPath, true);
            fs.delete(errorsPath, true);
            fs.delete(summaryPath, false);
        }
        List<VideoTask> todo = new ArrayList<>(videos.size());
        Set<String> done = options.mode() == WriteMode.RESUME ? doneVideos(fs, clipsPath, errorsPath, hash) : Set.of();
        boolean split = false;
        for (VideoRef v : videos) {
            split |= v.split() != null;
            if (!done.contains(v.videoId())) {
                todo.add(VideoTask.of(v));
            }
        }
        AccumulatorCounters counters = new AccumulatorCounters(spark.sparkContext());
        JobProgress progress = new JobProgress(todo.size(), counters, progressOut, System.console() != null);
        spark.sparkContext().addSparkListener(progress);
        long errorRows = 0;
        java.util.Map<String, Long> errorsByStage = new java.util.TreeMap<>();
        int waves = 0;
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int parallelism = options.partitions() > 0 ? options.partitions() : jsc.defaultParallelism();
            String json = JobOptionsJson.toJson(options);
            for (int from = 0; from < todo.size(); from += options.videosPerCommit()) {
                List<VideoTask> wave = todo.subList(from, Math.min(todo.size(), from + options.videosPerCommit()));
                CollectionAccumulator<ErrorRow> errors = spark.sparkContext().collectionAccumulator("autogaze.errors");
                JavaRDD<VideoTask> rdd = jsc.parallelize(new ArrayList<>(wave), Math.min(parallelism, wave.size()));
                JavaRDD<Row> rows = rdd.mapPartitions(new PartitionTask(json, hash, counters, errors, factory));
                spark.sparkContext().setJobDescription("autogaze wave " + (waves + 1) + ": " + wave.size() + " videos");
                writer(spark.createDataFrame(rows, OutputSchema.CLIPS), split).parquet(clipsPath.toString());
                List<ErrorRow> failed = errors.value();
                if (!failed.isEmpty()) {
                    writeErrors(failed, errorsPath);
                    errorRows += failed.size();
                    for (ErrorRow e : failed) {
                        errorsByStage.merge(e.stage(), 1L, Long::sum);
                    }
                }
                waves++;
            }
            if (!fs.exists(errorsPath)) {
                // An empty table with the schema, so readers never special-case "no errors".
                writeErrors(List.of(), errorsPath);
            }
            if (!fs.exists(clipsPath)) {
                writer(spark.createDataFrame(List.of(), OutputSchema.CLIPS), split).parquet(clipsPath.toString());
            }
        } finally {
            progress.print(true);
            spark.sparkContext().removeSparkListener(progress);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        RunSummary summary = new RunSummary(hash, options.gazeSource().kind().label(), videos.size(), done.size(),
                counters.videos(), counters.errorVideos(), errorRows, errorsByStage, counters.clips(), counters.gazes(),
                counters.tokens(), waves, wall, counters.decodeSeconds(), counters.gazeSeconds(),
                counters.readoutSeconds(), qualified(fs, clipsPath), qualified(fs, errorsPath),
                qualified(fs, summaryPath), spark.sparkContext().master(), spark.sparkContext().applicationId(),
                JobOptionsJson.toMap(options), canonical);
        try (FSDataOutputStream o = fs.create(summaryPath, true)) {
            o.write(summary.toJson().getBytes(StandardCharsets.UTF_8));
        }
        return summary;
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

    /** Video ids with a clip row or an error row of this configuration hash (for resume). */
    private Set<String> doneVideos(FileSystem fs, Path clipsPath, Path errorsPath, String hash) throws IOException {
        Set<String> done = new HashSet<>();
        for (Path p : new Path[] {clipsPath, errorsPath}) {
            if (fs.exists(p)) {
                for (Row r : spark.read().parquet(p.toString()).filter(col("config_hash").equalTo(hash))
                        .select("video_id").distinct().collectAsList()) {
                    done.add(r.getString(0));
                }
            }
        }
        return done;
    }

    private static String qualified(FileSystem fs, Path p) {
        return fs.makeQualified(p).toString();
    }
}
