package dev.autogaze.job;

import dev.autogaze.testing.MotoS3;
import dev.autogaze.video.SampleShards;
import dev.autogaze.video.SampleVideos;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job on an object store: listing, a manifest, WebDataset shards and the output all on s3a://, through Hadoop's
 * S3A connector against moto's S3 server on loopback; the rows equal a local run's, and nothing is written under
 * the inputs.
 */
class S3StoreTest {

    static MotoS3 s3;
    static SparkSession spark;
    static java.nio.file.Path local;

    @BeforeAll
    static void start() throws Exception {
        s3 = MotoS3.start();
        s3.createBucket("data");
        s3.createBucket("out");
        local = Files.createTempDirectory("autogaze-s3");
        SampleVideos.writeSet(local.resolve("videos"), SampleVideos.DEFAULT_SET.subList(0, 2));
        SampleShards.write(local.resolve("shards"), 2, 1);
        SparkSession.Builder b = SparkSession.builder().master("local[2]").appName("autogaze-s3-test")
                .config("spark.ui.enabled", "false");
        Configuration c = new Configuration(false);
        s3.configure(c);
        c.forEach(e -> b.config("spark.hadoop." + e.getKey(), e.getValue()));
        spark = b.getOrCreate();
        FileSystem fs = new Path("s3a://data/").getFileSystem(conf());
        fs.copyFromLocalFile(new Path(local.resolve("videos").toUri()), new Path("s3a://data/videos"));
        fs.copyFromLocalFile(new Path(local.resolve("shards").toUri()), new Path("s3a://data/shards"));
        // a manifest with relative paths, resolved against its own s3a:// folder
        java.nio.file.Path m = local.resolve("manifest.csv");
        Files.writeString(m, "path,video_id,label\nvideos/shapes_320x240_h264.mp4,a,1\nvideos/shapes_224x224_vp9.webm,b,2\n");
        fs.copyFromLocalFile(new Path(m.toUri()), new Path("s3a://data/manifest.csv"));
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private static Configuration conf() {
        return spark.sparkContext().hadoopConfiguration();
    }

    private static List<String> listing(String prefix) throws Exception {
        FileSystem fs = new Path(prefix).getFileSystem(conf());
        List<String> out = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(new Path(prefix), true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            out.add(f.getPath() + " " + f.getLen());
        }
        out.sort(null);
        return out;
    }

    private static RunSummary run(JobOptions o) throws Exception {
        return new AutogazeJob(spark, o, ProcessorFactory.standard(), new PrintStream(new ByteArrayOutputStream()))
                .run(VideoListing.list(o, conf()));
    }

    private static Map<String, String> rows(String clips) {
        Map<String, String> m = new TreeMap<>();
        for (Row r : spark.read().parquet(clips).collectAsList()) {
            m.put(r.getString(r.fieldIndex("video_id")) + "#" + r.getInt(r.fieldIndex("clip_index")),
                    r.getList(r.fieldIndex("token_index")) + " " + r.getList(r.fieldIndex("frame_indices")));
        }
        return m;
    }

    @Test
    void folderManifestAndShardsOnTheStoreGiveTheRowsOfALocalRunAndLeaveTheInputsAlone() throws Exception {
        List<String> before = listing("s3a://data/");
        RunSummary folder = run(JobOptions.defaults("s3a://data/videos", "s3a://out/folder").withPartitions(2));
        RunSummary localRun = run(JobOptions.defaults(local.resolve("videos").toString(),
                local.resolve("out").toString()).withPartitions(2));
        assertEquals(6, folder.clips());
        assertEquals(rows(localRun.clipsPath()), rows(folder.clipsPath()));
        assertTrue(folder.clipsPath().startsWith("s3a://out/folder"), folder.clipsPath());

        RunSummary manifest = run(JobOptions.defaults("s3a://data/manifest.csv", "s3a://out/manifest")
                .withKeepColumns(List.of("label")));
        Map<String, String> m = rows(manifest.clipsPath());
        assertEquals(6, m.size());
        assertEquals(rows(localRun.clipsPath()).get("shapes_224x224_vp9.webm#1"), m.get("b#1"));

        RunSummary shards = run(JobOptions.defaults("s3a://data/shards/{00000..00001}.tar", "s3a://out/shards")
                .withKeepColumns(List.of("caption")));
        Map<String, String> s = rows(shards.clipsPath());
        assertEquals(6, s.size());
        assertEquals(rows(localRun.clipsPath()).get("shapes_224x224_vp9.webm#2"), s.get("00001/000000001#2"));
        assertEquals(0, shards.errorRows());

        assertEquals(before, listing("s3a://data/")); // nothing written to an input location
        assertTrue(listing("s3a://out/shards/").stream().anyMatch(f -> f.contains("summary.json")));
    }
}
