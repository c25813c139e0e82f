package dev.autogaze.cli;

import dev.autogaze.io.ClipCoordinates;
import dev.autogaze.io.ClipParquetReader;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.io.OutputFolder;
import dev.autogaze.testing.CorruptCorpus;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The corrupt-input corpus (29 kinds, {@link CorruptCorpus}) and broken manifest rows through `jobs/autogaze run`:
 * the job exits 0, every bad item has exactly one error row with its stage and a specific reason, every good item
 * has its clips, and they equal a run on the good items alone. docs/reliability.md holds the same table.
 */
class CorruptInputCorpusTest {

    /** Bad kind -> stage and a regex its message must contain (the file names are the kinds). */
    private static final Map<String, String[]> BAD = new LinkedHashMap<>();

    static {
        BAD.put("empty", new String[] {"OPEN", "^file is empty \\(0 bytes\\)$"});
        BAD.put("random-bytes", new String[] {"OPEN", "^FFmpeg cannot open it as a video container .*moov atom not found"});
        BAD.put("text", new String[] {"OPEN", "^FFmpeg cannot open it as a video container"});
        BAD.put("truncated-5", new String[] {"DECODE", "^no frame could be decoded \\(container claims 40 frames\\)$"});
        BAD.put("truncated-50", new String[] {"DECODE", "^decoding ended after \\d+ of the 40 frames the container"
                + " indexes \\(a truncated or damaged file\\)"});
        BAD.put("truncated-95", new String[] {"DECODE", "^decoding ended after \\d+ of the 40 frames the container"
                + " indexes"});
        BAD.put("missing-moov", new String[] {"OPEN", "moov atom not found"});
        BAD.put("corrupt-moov", new String[] {"OPEN", "^FFmpeg cannot open it as a video container"});
        BAD.put("bit-flips", new String[] {"DECODE", "^decoding ended after \\d+ of the 40 frames the container indexes"});
        BAD.put("header-then-garbage", new String[] {"DECODE", "^decoding ended after \\d+ of the 40 frames"});
        BAD.put("audio-only", new String[] {"PROBE", "^no video stream \\(streams: \\[#0 audio pcm_s16le"});
        BAD.put("dangling-symlink", new String[] {"OPEN", "^dangling symbolic link .*dangling-symlink.mp4 -> .*gone.mp4"
                + " \\(the target does not exist\\)$"});
        BAD.put("folder", new String[] {"OPEN", "folder.mp4 is a directory, not a video file$"});
        BAD.put("long-video", new String[] {"PROBE", "^the container lists 1000 frames, more than the cap of 600"
                + " \\(--max-frames-per-video\\)$"});
    }

    /** Broken manifest rows (CSV) -> the regex of their MANIFEST error message. */
    private static final Map<String, String> BAD_ROWS = new LinkedHashMap<>();

    static {
        BAD_ROWS.put(",row-blank-path,,", "row \\d+ has a blank path$");
        BAD_ROWS.put("x.mp4,row-bad-number,soon,", "row \\d+: start_sec 'soon' is not a number$");
        BAD_ROWS.put("x.mp4,row-empty-window,3,2", "row \\d+: end_sec 2.0 of row-empty-window must be after start_sec"
                + " 3.0$");
        BAD_ROWS.put("x.mp4,row-too-wide,,,extra", "row \\d+ has 5 fields, the header has 4$");
        BAD_ROWS.put("y.mp4,row-duplicate,,", "row \\d+ and row \\d+ share video_id row-duplicate$");
        BAD_ROWS.put("z.mp4,row-duplicate,,", "row \\d+ and row \\d+ share video_id row-duplicate$");
    }

    private static CliRun run(Path manifest, Path out) {
        return CliRun.of("run", "--input", manifest.toString(), "--out", out.toString(), "--master", "local[2]",
                "--conf", "spark.ui.enabled=false", "--max-frames-per-video", "600", "--partitions", "4");
    }

    private static Map<String, String> clips(Path out) throws Exception {
        Map<String, String> m = new TreeMap<>();
        for (ClipCoordinates c : ClipParquetReader.readAll(out.resolve("clips").toString(), new Configuration(), false)) {
            String key = c.videoId() + "#" + c.clipIndex();
            if (m.put(key, Arrays.toString(c.tokenIndex()) + Arrays.toString(c.t()) + Arrays.toString(c.row())
                    + Arrays.toString(c.col()) + Arrays.toString(c.frameIndices())) != null) {
                fail("clip " + key + " twice");
            }
        }
        return m;
    }

    @Test
    void everyBadItemHasOneSpecificErrorRowAndEveryGoodClipEqualsARunOnTheGoodOnes(@TempDir Path dir)
            throws Exception {
        List<CorruptCorpus.Item> items = CorruptCorpus.write(dir.resolve("corpus"));
        assertTrue(items.size() >= 24, items.size() + " kinds");
        StringBuilder all = new StringBuilder("path,video_id,start_sec,end_sec\n");
        StringBuilder good = new StringBuilder("path,video_id,start_sec,end_sec\n");
        for (CorruptCorpus.Item it : items) {
            String row = it.file() + "," + it.kind() + ",,\n";
            all.append(row);
            if (it.good()) {
                good.append(row);
            } else {
                assertTrue(BAD.containsKey(it.kind()), "no expectation for " + it.kind());
            }
        }
        BAD_ROWS.keySet().forEach(r -> all.append(r).append('\n'));
        Path allCsv = Files.writeString(dir.resolve("all.csv"), all);
        Path goodCsv = Files.writeString(dir.resolve("good.csv"), good);

        CliRun r = run(allCsv, dir.resolve("all"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("(and 6 manifest rows naming none, written as MANIFEST error rows; first: "),
                r.err());
        CliRun g = run(goodCsv, dir.resolve("good"));
        assertEquals(0, g.code(), g.err());

        List<ErrorRow> errors = new OutputFolder(dir.resolve("all").toString(), new Configuration()).errors();
        Map<String, List<ErrorRow>> byId = new TreeMap<>();
        errors.forEach(e -> byId.computeIfAbsent(e.videoId(), k -> new ArrayList<>()).add(e));
        StringBuilder table = new StringBuilder();
        for (Map.Entry<String, String[]> e : BAD.entrySet()) {
            List<ErrorRow> rows = byId.remove(e.getKey());
            assertTrue(rows != null && rows.size() == 1, e.getKey() + ": " + rows);
            ErrorRow row = rows.get(0);
            assertEquals(e.getValue()[0], row.stage(), e.getKey() + ": " + row);
            assertTrue(java.util.regex.Pattern.compile(e.getValue()[1]).matcher(row.message()).find(),
                    e.getKey() + ": " + row.message());
            table.append("| ").append(e.getKey()).append(" | ").append(row.stage()).append(": ")
                    .append(row.message()).append(" (clips written ").append(row.clipsWritten()).append(") |\n");
        }
        List<ErrorRow> manifestRows = new ArrayList<>();
        byId.values().forEach(manifestRows::addAll);
        assertEquals(BAD_ROWS.size(), manifestRows.size(), "other error rows: " + byId);
        List<String> patterns = new ArrayList<>(BAD_ROWS.values());
        for (ErrorRow row : manifestRows) {
            assertEquals("MANIFEST", row.stage(), row.toString());
            assertTrue(row.videoId().startsWith("row-"), row.toString());
            int match = -1;
            for (int i = 0; i < patterns.size() && match < 0; i++) {
                match = java.util.regex.Pattern.compile(patterns.get(i)).matcher(row.message()).find() ? i : -1;
            }
            assertTrue(match >= 0, "unexpected " + row.message());
            patterns.remove(match);
            table.append("| manifest ").append(row.videoId()).append(" | MANIFEST: ").append(row.message())
                    .append(" |\n");
        }

        Map<String, String> fromAll = clips(dir.resolve("all"));
        Map<String, String> fromGood = clips(dir.resolve("good"));
        Map<String, String> goodOfAll = new TreeMap<>(fromAll);
        goodOfAll.keySet().removeIf(k -> BAD.containsKey(k.substring(0, k.indexOf('#'))));
        assertEquals(fromGood, goodOfAll, "good clips differ from a run on the good items alone");
        for (CorruptCorpus.Item it : items) {
            long n = fromAll.keySet().stream().filter(k -> k.startsWith(it.kind() + "#")).count();
            if (it.good()) {
                assertTrue(n > 0, it.kind() + " has no clips");
                table.append("| ").append(it.kind()).append(" | ").append(n).append(" clips |\n");
            }
        }
        for (ClipCoordinates c : ClipParquetReader.readAll(dir.resolve("all/clips").toString(), new Configuration(),
                false)) {
            if (c.videoId().equals("rotation") || c.videoId().equals("223x97")) {
                // decoded as stored: the rotation flag is not applied; odd sizes kept
                assertEquals(c.videoId().equals("rotation") ? "96x64" : "223x97",
                        c.sourceWidth() + "x" + c.sourceHeight(), c.toString());
            }
        }
        System.out.println("corpus outcomes:\n" + table);
    }
}
