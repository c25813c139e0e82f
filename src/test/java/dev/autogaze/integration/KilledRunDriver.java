package dev.autogaze.integration;

import dev.autogaze.job.AutogazeJob;
import dev.autogaze.job.JobOptions;
import dev.autogaze.job.ProcessorFactory;
import dev.autogaze.job.PartitionProcessor;
import dev.autogaze.job.WriteMode;
import dev.autogaze.video.VideoDataset;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A job driver for a child JVM that the test kills: {@code INPUT OUT PARTITIONS VIDEOS_PER_COMMIT [BLOCK_ON SENTINEL]}.
 * File operations go through {@link CrashingFileSystem} (which halts at the point the system properties name); with
 * BLOCK_ON, the task whose partition holds that video id creates SENTINEL and waits forever, for a kill from outside.
 */
public final class KilledRunDriver {

    private KilledRunDriver() {
    }

    public static void main(String[] args) throws Exception {
        JobOptions o = JobOptions.defaults(args[0], args[1]).withPartitions(Integer.parseInt(args[2]))
                .withVideosPerCommit(Integer.parseInt(args[3])).withBatchSize(2).withMode(WriteMode.OVERWRITE)
                // the crash points name part files of a known layout: partitions by video count, in listing order
                .withBalance(JobOptions.Balance.VIDEOS, 0);
        ProcessorFactory factory = args.length > 4 ? blockingOn(args[4], args[5]) : ProcessorFactory.standard();
        SparkSession spark = SparkSession.builder().master("local[2]").appName("autogaze-killed-run")
                .config("spark.ui.enabled", "false")
                .config("spark.hadoop.fs.file.impl", CrashingFileSystem.class.getName())
                .config("spark.hadoop.fs.file.impl.disable.cache", "true")
                .getOrCreate();
        new AutogazeJob(spark, o, factory, System.err).run(VideoDataset.load(o.input(), new Configuration()));
        spark.stop();
        System.err.println("KILLED RUN FINISHED (no crash point was reached)");
    }

    private static ProcessorFactory blockingOn(String videoId, String sentinel) {
        return (opts, hash, counters) -> {
            PartitionProcessor real = ProcessorFactory.standard().create(opts, hash, counters);
            return (videos, sink) -> {
                if (videos.stream().anyMatch(v -> v.videoId().equals(videoId))) {
                    try {
                        Files.writeString(Path.of(sentinel), videoId);
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return real.start(videos, sink);
            };
        };
    }
}
