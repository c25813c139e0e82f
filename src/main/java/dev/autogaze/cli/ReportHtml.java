package dev.autogaze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autogaze.io.ClipCoordinates;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.io.OutputStats;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report page: summary.json numbers, read-back totals, per-video and error tables, and the clip strips. */
final class ReportHtml {

    /** One drawn clip: its row, the PNG's path relative to the page, and why frames are missing (or null). */
    record Figure(ClipCoordinates clip, String image, String missingFrames) {
    }

    private final StringBuilder b = new StringBuilder();

    static String page(String out, JsonNode summary, OutputStats stats, List<ErrorRow> errors, List<Figure> figures) {
        return new ReportHtml().build(out, summary, stats, errors, figures);
    }

    private String build(String out, JsonNode summary, OutputStats s, List<ErrorRow> errors, List<Figure> figures) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>autogaze report: ")
                .append(esc(out)).append("</title>\n<style>body{font-family:sans-serif;margin:24px;color:#222}"
                        + "table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;"
                        + "padding:3px 8px;text-align:left;font-size:14px}th{background:#f2f2f2}"
                        + ".num{text-align:right}.strip{overflow-x:auto;margin-bottom:28px}"
                        + ".key{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}</style>\n"
                        + "</head><body>\n");
        b.append("<h1>autogaze output report</h1>\n<p><code>").append(esc(out)).append("</code></p>\n");
        b.append("<h2>Run summary (summary.json)</h2>\n<table>\n");
        row("schema version", summary.path("schema_version").asText());
        row("gaze source", summary.path("gaze_source").asText());
        row("config hash", summary.path("config_hash").asText());
        for (String section : List.of("counts", "throughput", "task_seconds")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = summary.path(section).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                row(section + "." + e.getKey(), e.getValue().asText());
            }
        }
        row("spark master", summary.path("spark").path("master").asText());
        b.append("</table>\n<h2>Read back from the Parquet files</h2>\n<table>\n");
        row("clips", Integer.toString(s.clips()));
        row("videos", Integer.toString(s.videos().size()));
        row("tokens", String.format(Locale.ROOT, "%d (per clip min %d, mean %.1f, max %d)", s.tokens(),
                s.minTokens(), s.meanTokens(), s.maxTokens()));
        row("keep ratio", String.format(Locale.ROOT, "min %.3f, mean %.3f, max %.3f", s.minKeepRatio(),
                s.meanKeepRatio(), s.maxKeepRatio()));
        row("gazes", s.realGazes() + " real, " + s.padGazes() + " pads");
        s.grids().forEach((g, n) -> row("token grid", g + ": " + n + " clips"));
        s.splits().forEach((g, n) -> row("split " + g, n + " clips"));
        b.append("</table>\n<h2>Videos</h2>\n<table>\n<tr><th>video</th><th>split</th><th>clips</th>"
                + "<th>tokens</th><th>real gazes</th><th>mean keep ratio</th></tr>\n");
        s.videos().forEach((id, v) -> b.append("<tr><td>").append(esc(id)).append("</td><td>")
                .append(esc(v.split == null ? "-" : v.split)).append("</td><td class=\"num\">").append(v.clips)
                .append("</td><td class=\"num\">").append(v.tokens).append("</td><td class=\"num\">")
                .append(v.realGazes).append("</td><td class=\"num\">")
                .append(String.format(Locale.ROOT, "%.3f", v.meanKeepRatio())).append("</td></tr>\n"));
        b.append("</table>\n<h2>Errors (").append(errors.size()).append(")</h2>\n");
        if (errors.isEmpty()) {
            b.append("<p>No error rows.</p>\n");
        } else {
            b.append("<table>\n<tr><th>video</th><th>stage</th><th>message</th><th>clips written</th>"
                    + "<th>path</th></tr>\n");
            for (ErrorRow e : errors) {
                b.append("<tr><td>").append(esc(e.videoId())).append("</td><td>").append(esc(e.stage()))
                        .append("</td><td>").append(esc(e.message())).append("</td><td class=\"num\">")
                        .append(e.clipsWritten()).append("</td><td>").append(esc(e.path())).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        b.append("<h2>Clips</h2>\n<p>Top row: decoded frames with the fixations (real gazes) outlined by scale:");
        String[] names = {"scale 0 (coarsest)", "scale 1", "scale 2", "scale 3"};
        for (int i = 0; i < ReadoutPicture.SCALE_COLOURS.length; i++) {
            b.append("<span class=\"key\" style=\"background:#").append(String.format("%06X",
                    ReadoutPicture.SCALE_COLOURS[i].getRGB() & 0xFFFFFF)).append("\"></span>").append(names[i]);
        }
        b.append(". Bottom row: the same frames with the video tokens the readout did not keep darkened "
                + "(tokens of the frame's temporal bin).</p>\n");
        for (Figure f : figures) {
            ClipCoordinates c = f.clip();
            b.append("<h3>").append(esc(c.videoId())).append(" clip ").append(c.clipIndex())
                    .append(c.split() == null ? "" : " (" + esc(c.split()) + ")").append("</h3>\n<p>")
                    .append(String.format(Locale.ROOT, "frames %s; %d tokens of %dx%dx%d, keep ratio %.3f; "
                                    + "%d real gazes, %d pads; source %dx%d",
                            Arrays.toString(c.frameIndices()), c.count(), c.geometry().bins(), c.geometry().rows(),
                            c.geometry().cols(), c.stats().keepRatio(), c.stats().realGazes(), c.stats().padGazes(),
                            c.sourceWidth(), c.sourceHeight()));
            if (f.missingFrames() != null) {
                b.append("<br><b>frames not drawn:</b> ").append(esc(f.missingFrames()));
            }
            b.append("</p>\n<div class=\"strip\"><img src=\"").append(esc(f.image())).append("\" alt=\"")
                    .append(esc(c.videoId())).append(" clip ").append(c.clipIndex()).append("\"></div>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    private void row(String k, String v) {
        b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
