package dev.autogaze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autogaze.io.ClipCoordinates;
import dev.autogaze.io.ClipParquetReader;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.io.OutputFolder;
import dev.autogaze.io.OutputFormatException;
import dev.autogaze.io.OutputStats;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** A summary of an output folder read back through {@link ClipParquetReader} (no Spark): what a run produced. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Summarize a job output folder: clips, videos, tokens, keep ratios and errors, read back from "
                + "the Parquet files and checked against summary.json. Exit 1 when the folder has duplicate clip rows "
                + "or leftovers of a killed run (staging or temporary folders).")
public final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OUT", description = "The job's output folder (holds clips/, errors/, "
            + "summary.json); a local path or any Hadoop URI.")
    String out;

    @Option(names = "--show-videos", defaultValue = "20", description = "Print at most this many per-video lines.")
    int showVideos;

    @Option(names = "--show-errors", defaultValue = "10", description = "Print at most this many error rows.")
    int showErrors;

    @Override
    public Integer call() {
        PrintStream o = System.out;
        try {
            OutputFolder folder = new OutputFolder(out, new Configuration());
            OutputStats stats = new OutputStats();
            int files;
            try (ClipParquetReader r = folder.clips(false)) {
                files = r.files().size();
                for (ClipCoordinates c = r.next(); c != null; c = r.next()) {
                    stats.add(c);
                }
            }
            List<ErrorRow> errors = folder.errors();
            JsonNode summary = folder.summary();
            print(o, stats, files, errors, summary);
            List<String> problems = new ArrayList<>(folder.leftovers());
            if (stats.duplicateRows() > 0) {
                problems.add(stats.duplicateRows() + " duplicate clip rows (same video_id, clip_index and config_hash),"
                        + " e.g. " + String.join(", ", stats.duplicateExamples()));
            }
            for (String p : problems) {
                o.println("ERROR       " + p);
            }
            return problems.isEmpty() ? 0 : 1;
        } catch (IOException | OutputFormatException e) {
            System.err.println("inspect: " + e.getMessage());
            leftoversOf(System.err);
            return 2;
        }
    }

    /** A folder that cannot be summarized may still show why: a killed run's staging folders. */
    private void leftoversOf(PrintStream err) {
        try {
            for (String p : new OutputFolder(out, new Configuration()).leftovers()) {
                err.println("inspect: also found " + p);
            }
        } catch (IOException | RuntimeException ignored) {
            // the first message said what is wrong
        }
    }

    private void print(PrintStream o, OutputStats s, int files, List<ErrorRow> errors, JsonNode summary) {
        o.printf("output      %s%n", out);
        o.printf("clips       %d in %d videos (%d Parquet files)%n", s.clips(), s.videos().size(), files);
        o.printf("splits      %s%n", s.splits().isEmpty() ? "-" : join(s.splits()));
        o.printf("runs        %s%n", s.configs().isEmpty() ? "-" : join(s.configs()));
        o.printf("grid        %s%n", s.grids().isEmpty() ? "-" : join(s.grids()));
        o.printf(Locale.ROOT, "tokens      %d (per clip min %d, mean %.1f, max %d)%n", s.tokens(), s.minTokens(),
                s.meanTokens(), s.maxTokens());
        o.printf(Locale.ROOT, "keep ratio  min %.3f, mean %.3f, max %.3f%n", s.minKeepRatio(), s.meanKeepRatio(),
                s.maxKeepRatio());
        o.printf("gazes       %d real, %d pads%n", s.realGazes(), s.padGazes());
        Map<String, Integer> stages = new TreeMap<>();
        errors.forEach(e -> stages.merge(e.stage(), 1, Integer::sum));
        o.printf("errors      %d rows%s%n", errors.size(), stages.isEmpty() ? "" : " (" + join(stages) + ")");
        for (int i = 0; i < Math.min(errors.size(), showErrors); i++) {
            ErrorRow e = errors.get(i);
            o.printf("  %s  %s  %s (clips written %d)%n", e.videoId(), e.stage(), e.message(), e.clipsWritten());
        }
        if (errors.size() > showErrors) {
            o.printf("  ... %d more%n", errors.size() - showErrors);
        }
        // "totals" describe the whole folder after the last run; older summaries have only that run's "counts".
        JsonNode counts = summary.has("totals") ? summary.path("totals") : summary.path("counts");
        boolean same = counts.path("clips").asLong(-1) == s.clips() && counts.path("tokens").asLong(-1) == s.tokens()
                && counts.path("error_rows").asLong(-1) == errors.size();
        o.printf(Locale.ROOT, "summary     clips %d, tokens %d, error rows %d, %.1f s wall, %.3f clips/s: %s%n",
                counts.path("clips").asLong(), counts.path("tokens").asLong(), counts.path("error_rows").asLong(),
                summary.path("throughput").path("wall_seconds").asDouble(),
                summary.path("throughput").path("clips_per_second").asDouble(),
                same ? "matches the files" : "DIFFERS from the files (a partial copy, or files changed after the run?)");
        o.printf("%-40s %-8s %6s %8s %8s%n", "video", "split", "clips", "tokens", "keep");
        int shown = 0;
        for (Map.Entry<String, OutputStats.Video> e : s.videos().entrySet()) {
            if (shown++ == showVideos) {
                o.printf("... %d more videos%n", s.videos().size() - showVideos);
                break;
            }
            OutputStats.Video v = e.getValue();
            o.printf(Locale.ROOT, "%-40s %-8s %6d %8d %8.3f%n", e.getKey(), v.split == null ? "-" : v.split, v.clips,
                    v.tokens, v.meanKeepRatio());
        }
    }

    private static String join(Map<String, Integer> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(": ").append(v));
        return b.toString();
    }
}
