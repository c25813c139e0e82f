package dev.autogaze.cli;

import dev.autogaze.io.JobOutputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportCommandTest {

    static List<String> images(String html) {
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        return m.results().map(r -> r.group(1)).toList();
    }

    @Test
    void writesAPageThatReferencesOneStripPerDrawnClip(@TempDir Path dir) throws Exception {
        Path out = JobOutputs.sample();
        Path page = dir.resolve("r/report.html");
        Files.createDirectories(page.getParent());
        CliRun r = CliRun.of("report", out.toString(), "--videos", JobOutputs.videos().toString(), "--html",
                page.toString(), "--clips", "3", "--frame-width", "100");
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(page);
        List<String> srcs = images(html);
        // first clips of v0 and v1 first, then v0's next clip (grouped by video on the page)
        assertEquals(List.of("report-files/00_v0_clip0.png", "report-files/01_v0_clip1.png",
                "report-files/02_v1_clip0.png"), srcs);
        for (String src : srcs) {
            BufferedImage img = ImageIO.read(page.getParent().resolve(src).toFile());
            assertEquals(ClipOverlay.GAP + 16 * (100 + ClipOverlay.GAP), img.getWidth(), src);
        }
        assertFalse(html.contains("frames not drawn"), "videos were found and decoded");
        assertTrue(html.contains("<td>bad</td>"), "the error row is listed");
        assertTrue(html.contains("<tr><td>v0</td><td>train</td><td class=\"num\">3</td>"), html);
        assertTrue(html.contains("<tr><th>counts.clips</th><td>6</td></tr>"), html);
    }

    @Test
    void decodedFramesShowThroughTheStrip(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("report.html");
        CliRun r = CliRun.of("report", JobOutputs.sample().toString(), "--videos", JobOutputs.videos().toString(),
                "--html", page.toString(), "--clips", "1");
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(dir.resolve("report-files/00_v0_clip0.png").toFile());
        // Kept tokens of bin 0 (frame 0 keeps every token) show the video: no pixel of the panel is the dark
        // no-frame fill, and the panel is not one flat colour.
        int x = ClipOverlay.GAP;
        int y = ClipOverlay.LABEL + 120 + ClipOverlay.LABEL; // row 1 of v0 (320x240 drawn 160x120)
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            colours.add(img.getRGB(x + 10 + i, y + 20) & 0xFFFFFF);
        }
        assertFalse(colours.contains(ClipOverlay.NO_FRAME.getRGB() & 0xFFFFFF));
        assertTrue(colours.size() > 5, "panel row has " + colours.size() + " colours");
    }

    @Test
    void videosThatCannotBeFoundAreNotedAndThePageIsStillWritten(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("report.html");
        CliRun r = CliRun.of("report", JobOutputs.sample().toString(), "--videos", dir.toString(), "--html",
                page.toString(), "--clips", "1");
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(page);
        assertTrue(html.contains("<b>frames not drawn:</b> "), html);
        assertTrue(html.contains(dir.resolve("shapes_320x240_h264.mp4").toString()), html);
        assertTrue(r.err().contains("report: frames of v0 not drawn"), r.err());
    }

    @Test
    void aRemoteOutputNeedsAnExplicitPage() {
        CliRun r = CliRun.of("report", "hdfs://nn:8020/runs/out");
        assertEquals(2, r.code());
        assertEquals("report: OUT hdfs://nn:8020/runs/out is not a local folder; give the page's place with --html FILE",
                r.err().strip());
    }
}
