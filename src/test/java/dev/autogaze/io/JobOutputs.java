package dev.autogaze.io;

import dev.autogaze.job.AutogazeJob;
import dev.autogaze.job.JobOptions;
import dev.autogaze.job.ProcessorFactory;
import dev.autogaze.video.SampleVideos;
import dev.autogaze.video.VideoDataset;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One real job output for the consumer tests (reader, inspect, report), made once per test JVM by running
 * {@link AutogazeJob} in Spark local mode on two generated sample videos (split train/val) and a corrupt file.
 */
public final class JobOutputs {

    private static Path out;
    private static Path videos;
    private static Path patchesOut;

    private JobOutputs() {
    }

    /** A local SparkSession like the job tests use (the caller stops it). */
    public static SparkSession spark() {
        return SparkSession.builder().master("local[1]").appName("autogaze-consumers-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate();
    }

    /** OUT of the sample run: clips in split=train and split=val, one error row (video id "bad"). */
    public static synchronized Path sample() throws IOException {
        if (out != null) {
            return out;
        }
        Path dir = Files.createTempDirectory("autogaze-consumers");
        videos = dir.resolve("videos");
        List<Path> files = SampleVideos.writeSet(videos, SampleVideos.DEFAULT_SET.subList(0, 2));
        Path corrupt = videos.resolve("corrupt.mp4");
        Files.writeString(corrupt, "this is not a video container");
        Path manifest = dir.resolve("manifest.csv");
        Files.writeString(manifest, "path,video_id,split\n" + files.get(0) + ",v0,train\n" + files.get(1)
                + ",v1,val\n" + corrupt + ",bad,train\n");
        Path target = dir.resolve("out");
        JobOptions o = JobOptions.defaults(manifest.toString(), target.toString()).withPartitions(1);
        run(o);
        out = target;
        return out;
    }

    /** The folder holding the sample videos of {@link #sample()}. */
    public static synchronized Path videos() throws IOException {
        sample();
        return videos;
    }

    /**
     * OUT of a run with {@code --emit-patches} on the 320x240 H.264 sample (3 clips, resized to 224x224); the video
     * is {@code OUT/../videos/shapes_320x240_h264.mp4}.
     */
    public static synchronized Path withPatches() throws IOException {
        if (patchesOut != null) {
            return patchesOut;
        }
        Path dir = Files.createTempDirectory("autogaze-patches");
        Path video = SampleVideos.writeSet(dir.resolve("videos"), SampleVideos.DEFAULT_SET.subList(0, 1)).get(0);
        Path target = dir.resolve("out");
        JobOptions o = JobOptions.defaults(video.getParent().toString(), target.toString()).withPartitions(1)
                .withEmitPatches(true);
        run(o);
        patchesOut = target;
        return patchesOut;
    }

    /** One job run in a local SparkSession of its own, its progress discarded. */
    private static void run(JobOptions o) throws IOException {
        SparkSession spark = spark();
        try {
            new AutogazeJob(spark, o, ProcessorFactory.standard(), new PrintStream(new ByteArrayOutputStream()))
                    .run(VideoDataset.load(o.input(), new Configuration()));
        } finally {
            spark.stop();
        }
    }
}
