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
}
