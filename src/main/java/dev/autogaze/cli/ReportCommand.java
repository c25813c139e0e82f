package dev.autogaze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autogaze.io.ClipCoordinates;
import dev.autogaze.io.ClipParquetReader;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.io.OutputFolder;
import dev.autogaze.io.OutputFormatException;
import dev.autogaze.io.OutputStats;
import dev.autogaze.video.VideoDecodeException;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;

/**
 * An HTML report of an output folder: the run's numbers, per-video and error tables, and for a few clips a frame
 * strip with the fixations and kept tokens drawn on the decoded frames, to check a run by eye.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write an HTML report of a job output folder with overlay pictures (PNG) of a few clips.")
public final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OUT", description = "The job's output folder (clips/, errors/, summary.json).")
    String out;

    @Option(names = "--videos", paramLabel = "DIR", description = "Find the videos here (by video id, then file "
            + "name) instead of at the clips' source_path.")
    Path videos;

    @Option(names = "--html", paramLabel = "FILE", description = "The page to write (default OUT/report.html); the "
            + "pictures go to FILE's name + '-files/' beside it.")
    Path html;

    @Option(names = "--clips", defaultValue = "4", description = "Clips to draw (first clips of distinct videos first).")
    int clips;

    @Option(names = "--frame-width", defaultValue = "160", description = "Width of one frame in the strips (px).")
    int frameWidth;

    @Override
    public Integer call() {
        if (clips < 0 || frameWidth < 16) {
            System.err.println("report: --clips " + clips + " must be >= 0 and --frame-width " + frameWidth
                    + " must be >= 16");
            return 2;
        }
        System.setProperty("java.awt.headless", "true");
        if (html == null && out.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !out.startsWith("file:")) {
            System.err.println("report: OUT " + out + " is not a local folder; give the page's place with --html FILE");
            return 2;
        }
        Path page = html != null ? html : Path.of(out.replaceFirst("^file:", "")).resolve("report.html");
        try {
            Configuration conf = new Configuration();
            OutputFolder folder = new OutputFolder(out, conf);
            JsonNode summary = folder.summary();
            List<ErrorRow> errors = folder.errors();
            OutputStats stats = new OutputStats();
            List<ClipCoordinates> picked = pick(folder, stats);
            String base = page.getFileName().toString().replaceFirst("\\.html?$", "") + "-files";
            Path imageDir = page.toAbsolutePath().getParent().resolve(base);
            Files.createDirectories(imageDir);
            List<ReportHtml.Figure> figures = draw(picked, imageDir, base, conf);
            Files.writeString(page, ReportHtml.page(out, summary, stats, errors, figures), StandardCharsets.UTF_8);
            System.out.printf("report: %s (%d clips drawn in %s)%n", page, figures.size(), imageDir);
            return 0;
        } catch (IOException | OutputFormatException e) {
            System.err.println("report: " + e.getMessage());
            return 2;
        }
    }

    /** One pass: totals over every clip, and the clips to draw (first clip of each video, then the next ones). */
    private List<ClipCoordinates> pick(OutputFolder folder, OutputStats stats) throws IOException {
        List<ClipCoordinates> first = new ArrayList<>();
        List<ClipCoordinates> more = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (ClipParquetReader r = folder.clips(true)) {
            for (ClipCoordinates c = r.next(); c != null; c = r.next()) {
                stats.add(c);
                if (seen.add(c.videoId())) {
                    if (first.size() < clips) {
                        first.add(c);
                    }
                } else if (more.size() < clips) {
                    more.add(c);
                }
            }
        }
        first.addAll(more);
        return first.subList(0, Math.min(clips, first.size()));
    }

    private List<ReportHtml.Figure> draw(List<ClipCoordinates> picked, Path imageDir, String base,
                                         Configuration conf) throws IOException {
        Map<String, List<ClipCoordinates>> byVideo = new LinkedHashMap<>();
        picked.forEach(c -> byVideo.computeIfAbsent(c.videoId(), k -> new ArrayList<>()).add(c));
        List<ReportHtml.Figure> figures = new ArrayList<>();
        for (List<ClipCoordinates> group : byVideo.values()) {
            ClipCoordinates head = group.get(0);
            Set<Integer> wanted = new HashSet<>();
            group.forEach(c -> java.util.Arrays.stream(c.frameIndices()).forEach(wanted::add));
            Map<Integer, BufferedImage> frames = null;
            String missing = null;
            try {
                String path = ClipFrameDecoder.locate(head.videoId(), head.sourcePath(), videos);
                frames = ClipFrameDecoder.frames(head.videoId(), path, wanted, conf);
            } catch (VideoDecodeException e) {
                missing = e.getMessage();
                System.err.println("report: frames of " + head.videoId() + " not drawn: " + missing);
            }
            for (ClipCoordinates c : group) {
                double scale = Math.min(1.0, (double) frameWidth / c.sourceWidth());
                BufferedImage[] f = frames == null ? null : ClipFrameDecoder.inOrder(c.frameIndices(), frames);
                String name = String.format("%02d_%s_clip%d.png", figures.size(),
                        c.videoId().replaceAll("[^A-Za-z0-9._-]", "_"), c.clipIndex());
                if (!ImageIO.write(ClipOverlay.strip(c, f, scale), "png", imageDir.resolve(name).toFile())) {
                    throw new IOException("no PNG writer available for " + name);
                }
                figures.add(new ReportHtml.Figure(c, base + "/" + name, missing));
            }
        }
        return figures;
    }
}
