package dev.autogaze.cli;

import dev.autogaze.io.ClipCoordinates;
import dev.autogaze.io.ClipParquetReader;
import dev.autogaze.io.JobOutputs;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectCommandTest {

    @Test
    void summarizesARealOutputAndFindsItConsistentWithSummaryJson() throws Exception {
        Path out = JobOutputs.sample();
        CliRun r = CliRun.of("inspect", out.toString());
        assertEquals(0, r.code(), r.err());
        List<ClipCoordinates> clips = ClipParquetReader.readAll(out.resolve("clips").toString(), new Configuration(),
                false);
        long tokens = clips.stream().mapToLong(ClipCoordinates::count).sum();
        long v0 = clips.stream().filter(c -> c.videoId().equals("v0")).mapToLong(ClipCoordinates::count).sum();
        String s = r.out();
        assertTrue(s.contains("clips       6 in 2 videos"), s);
        assertTrue(s.contains("splits      train: 3, val: 3"), s);
        assertTrue(s.contains("tokens      " + tokens + " (per clip min "), s);
        assertTrue(s.contains("errors      1 rows ("), s);
        assertTrue(s.lines().anyMatch(l -> l.startsWith("  bad  ")), s);
        assertTrue(s.contains(": matches the files"), s);
        assertTrue(s.lines().anyMatch(l -> l.matches("v0 +train +3 +" + v0 + " +0\\.\\d{3}")), s);
    }

    @Test
    void aFolderWithoutOutputExitsTwoNamingThePath(@TempDir Path dir) {
        CliRun r = CliRun.of("inspect", dir.toString());
        assertEquals(2, r.code());
        assertEquals("inspect: no clips output at " + dir.resolve("clips"), r.err().strip());
    }

    @Test
    void aMissingSummaryIsExplained(@TempDir Path dir) throws Exception {
        Path out = JobOutputs.sample();
        Path copy = dir.resolve("out");
        for (String sub : List.of("clips/split=train", "clips/split=val", "errors")) {
            Files.createDirectories(copy.resolve(sub));
            try (var files = Files.list(out.resolve(sub))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).toList()) {
                    Files.copy(f, copy.resolve(sub).resolve(f.getFileName()));
                }
            }
        }
        CliRun r = CliRun.of("inspect", copy.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no summary.json in " + copy + " (a run writes it last"), r.err());
    }

    private static Path copyOf(Path out, Path to) throws Exception {
        try (var files = Files.walk(out)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(out.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }

    @Test
    void duplicateClipRowsAreAnErrorNamingAClip(@TempDir Path dir) throws Exception {
        Path copy = copyOf(JobOutputs.sample(), dir.resolve("out"));
        Path val = copy.resolve("clips/split=val");
        Path part;
        try (var files = Files.list(val)) {
            part = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        // what the old committer did when a killed run's finished task files were merged by the next run
        Files.copy(part, val.resolve("part-99999-copy.zstd.parquet"));
        CliRun r = CliRun.of("inspect", copy.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("ERROR       3 duplicate clip rows (same video_id, "
                + "clip_index and config_hash), e.g. v1 clip 0 (config ")), r.out());
    }

    @Test
    void leftoversOfAKilledRunAreErrors(@TempDir Path dir) throws Exception {
        Path copy = copyOf(JobOutputs.sample(), dir.resolve("out"));
        Files.createDirectories(copy.resolve("clips/_temporary/0/task_1"));
        Files.createDirectories(copy.resolve("_staging/wave-x-00001/clips"));
        Files.createDirectories(copy.resolve("_staging/wave-x-00002/clips"));
        Files.writeString(copy.resolve("_staging/wave-x-00002/_COMMITTED"), "{}");
        CliRun r = CliRun.of("inspect", copy.toString());
        assertEquals(1, r.code(), r.out());
        List<String> errors = r.out().lines().filter(l -> l.startsWith("ERROR")).toList();
        assertEquals(3, errors.size(), r.out());
        assertTrue(errors.get(0).contains("wave-x-00001: an unfinished wave"), errors.toString());
        assertTrue(errors.get(1).contains("wave-x-00002: a committed wave not yet published"), errors.toString());
        assertTrue(errors.get(2).contains("clips/_temporary: a stale Spark temporary folder"), errors.toString());
    }

    @Test
    void aCleanOutputHasNoErrorLines() throws Exception {
        CliRun r = CliRun.of("inspect", JobOutputs.sample().toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().lines().noneMatch(l -> l.startsWith("ERROR")), r.out());
    }
}
