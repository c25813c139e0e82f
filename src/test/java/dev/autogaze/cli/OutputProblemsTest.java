package dev.autogaze.cli;

import dev.autogaze.io.ClipCoordinates;
import dev.autogaze.io.ClipParquetReader;
import dev.autogaze.testing.FullDiskFileSystem;
import dev.autogaze.video.SampleVideos;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An output folder that cannot take the output fails in one line, before Spark when it can be known then. */
class OutputProblemsTest {

    static Path videos;

    @TempDir
    Path dir;

    @BeforeAll
    static void samples(@TempDir Path shared) throws Exception {
        videos = shared.resolve("videos");
        SampleVideos.writeSet(videos, SampleVideos.DEFAULT_SET.subList(0, 2));
    }

    @AfterEach
    void emptyDisk() {
        FullDiskFileSystem.fill(null, Long.MAX_VALUE);
    }

    private static CliRun run(String out, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--input", videos.toString(), "--out", out, "--master",
                "local[2]", "--conf", "spark.ui.enabled=false", "--videos-per-commit", "1"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(new String[0]));
    }

    /** The run's own lines on stderr (Spark logs elsewhere). */
    private static List<String> ownLines(CliRun r) {
        return r.err().lines().filter(l -> l.startsWith("autogaze run:")).toList();
    }

    private static void assertNoStackTrace(CliRun r) {
        assertTrue(r.err().lines().noneMatch(l -> l.startsWith("\tat ")), r.err());
    }

    @Test
    void outNamingAFileFailsBeforeSpark() throws Exception {
        Path file = Files.writeString(dir.resolve("out.txt"), "notes");
        CliRun r = run(file.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("autogaze run: --out " + file + " is a file; give a folder (the job writes clips/, errors/"
                + " and summary.json into it)"), ownLines(r));
        assertNoStackTrace(r);
        assertEquals("notes", Files.readString(file));
    }

    @Test
    void aFolderThatCannotBeWrittenFailsBeforeSpark() {
        // /proc refuses new entries even to root (a chmod'ed folder would not stop root)
        CliRun r = run("/proc/self/fdinfo");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, ownLines(r).size(), r.err());
        assertTrue(ownLines(r).get(0).startsWith("autogaze run: --out /proc/self/fdinfo: cannot write into it ("),
                r.err());
        assertNoStackTrace(r);
        r = run("/proc/self/autogaze/out");
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("autogaze run: --out /proc/self/autogaze/out: cannot create the folder (mkdirs failed)"),
                ownLines(r));
    }

    @Test
    void aFullDiskFailsBeforeSparkWhenItIsFullAlready() {
        Path out = dir.resolve("out");
        FullDiskFileSystem.fill(out.toString(), 0);
        CliRun r = run(out.toString(), "--conf", "spark.hadoop.fs.file.impl=" + FullDiskFileSystem.class.getName(),
                "--conf", "spark.hadoop.fs.file.impl.disable.cache=true");
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("autogaze run: --out " + out + ": cannot write into it (No space left on device)"),
                ownLines(r));
        assertNoStackTrace(r);
    }

    @Test
    void aDiskFillingUpDuringTheRunEndsInOneLineAndResumeFinishesTheJob() throws Exception {
        Path clean = dir.resolve("clean");
        assertEquals(0, run(clean.toString()).code());

        Path out = dir.resolve("out");
        FullDiskFileSystem.fill(out.toString(), 60_000);
        String[] fs = {"--conf", "spark.hadoop.fs.file.impl=" + FullDiskFileSystem.class.getName(),
                "--conf", "spark.hadoop.fs.file.impl.disable.cache=true"};
        CliRun r = run(out.toString(), fs);
        assertEquals(1, r.code(), r.err());
        List<String> own = ownLines(r);
        String last = own.get(own.size() - 1);
        assertTrue(last.startsWith("autogaze run: the job failed: IOException: No space left on device (the wave in"
                + " flight was not published; fix the cause and rerun with --mode resume)"), last);
        assertFalse(r.out().contains("parquet:"), r.out());

        FullDiskFileSystem.fill(null, Long.MAX_VALUE);
        List<String> resume = new ArrayList<>(List.of(fs));
        resume.addAll(List.of("--mode", "resume"));
        CliRun again = run(out.toString(), resume.toArray(new String[0]));
        assertEquals(0, again.code(), again.err());
        assertEquals(clips(clean), clips(out));
    }

    private static Map<String, String> clips(Path out) throws Exception {
        Map<String, String> m = new TreeMap<>();
        for (ClipCoordinates c : ClipParquetReader.readAll(out.resolve("clips").toString(), new Configuration(), false)) {
            assertEquals(null, m.put(c.videoId() + "#" + c.clipIndex(), Arrays.toString(c.tokenIndex())),
                    "duplicate " + c.videoId() + "#" + c.clipIndex());
        }
        return m;
    }
}
