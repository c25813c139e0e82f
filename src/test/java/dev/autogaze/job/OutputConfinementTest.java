package dev.autogaze.job;

import dev.autogaze.io.ClipCoordinates;
import dev.autogaze.io.ClipParquetReader;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.io.OutputFolder;
import dev.autogaze.video.SampleVideos;
import dev.autogaze.video.VideoDataset;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a manifest says (paths with "..", absolute paths, symlinks, ids and splits that look like paths), the job
 * reads its inputs and writes nothing but OUT/clips, OUT/errors and OUT/summary.json.
 */
class OutputConfinementTest {

    /** Every file and folder under {@code root} except {@code skip}, with a digest of each file's bytes. */
    private static Map<String, String> tree(Path root, Path skip) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> !p.startsWith(skip)).toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    m.put(rel, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    m.put(rel, "dir");
                } else {
                    m.put(rel, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(p))));
                }
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    @Test
    void theJobWritesOnlyIntoItsOutputFolder(@TempDir Path root) throws Exception {
        Path data = root.resolve("data/set");
        Path elsewhere = root.resolve("elsewhere");
        List<Path> videos = SampleVideos.writeSet(elsewhere, SampleVideos.DEFAULT_SET.subList(0, 2));
        Files.createDirectories(data);
        Files.createSymbolicLink(data.resolve("linked.mp4"), videos.get(1));
        Files.createSymbolicLink(data.resolve("dangling.mp4"), root.resolve("nowhere/gone.mp4"));
        Path manifest = data.resolve("manifest.csv");
        Files.writeString(manifest, String.join("\n",
                "path,video_id,split,note",
                "../../elsewhere/" + videos.get(0).getFileName() + ",../../escape,../../train,../x",
                videos.get(1) + ",/etc/absolute-id,/etc,/tmp/y",
                "linked.mp4,a/../../b,..,z",
                "dangling.mp4,dangling,train,w",
                "../../elsewhere/missing.mp4,missing,..%2F..,v") + "\n");
        Path out = root.resolve("data/out");
        Map<String, String> before = tree(root, out);

        SparkSession spark = SparkSession.builder().master("local[2]").appName("autogaze-confinement")
                .config("spark.ui.enabled", "false").config("spark.local.dir", root.resolve("spark-scratch").toString())
                .getOrCreate();
        try {
            JobOptions o = JobOptions.defaults(manifest.toString(), out.toString()).withPartitions(2)
                    .withVideosPerCommit(2);
            new AutogazeJob(spark, o, ProcessorFactory.standard(), new PrintStream(new ByteArrayOutputStream()))
                    .run(VideoDataset.load(o.input(), new Configuration()));
        } finally {
            spark.stop();
        }

        Map<String, String> after = tree(root, out);
        after.keySet().removeIf(k -> k.startsWith("spark-scratch"));
        assertEquals(before, after, "files outside OUT changed");
        try (Stream<Path> s = Files.list(out)) {
            // (and Hadoop's hidden .crc checksum beside summary.json on a local disk)
            assertEquals(Set.of("clips", "errors", "summary.json"), s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(".summary.json.crc")).collect(Collectors.toSet()));
        }
        // The rows name the ids and splits as given; they never became paths above clips/.
        Set<String> ids = new TreeSet<>();
        for (ClipCoordinates c : ClipParquetReader.readAll(out.resolve("clips").toString(), new Configuration(), false)) {
            ids.add(c.videoId() + " | " + c.split());
        }
        assertEquals(Set.of("../../escape | ../../train", "/etc/absolute-id | /etc", "a/../../b | .."), ids);
        try (Stream<Path> s = Files.walk(out.resolve("clips"))) {
            assertTrue(s.allMatch(p -> p.normalize().startsWith(out.resolve("clips"))));
        }
        Set<String> errors = new TreeSet<>();
        for (ErrorRow e : new OutputFolder(out.toString(), new Configuration()).errors()) {
            errors.add(e.videoId() + " " + e.stage());
        }
        assertEquals(Set.of("dangling OPEN", "missing OPEN"), errors);
    }
}
