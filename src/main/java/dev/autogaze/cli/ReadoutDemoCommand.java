package dev.autogaze.cli;

import dev.autogaze.readout.FixationTrace;
import dev.autogaze.readout.FrameIds;
import dev.autogaze.readout.GazeCell;
import dev.autogaze.readout.GazeTokenDecoder;
import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ImageGridProjector;
import dev.autogaze.readout.ReadoutOptions;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.readout.SourceFrame;
import dev.autogaze.readout.VideoCoordinates;
import dev.autogaze.readout.VideoGeometry;
import dev.autogaze.readout.VideoTokenOptions;
import dev.autogaze.readout.VideoTokenProjector;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Shows the readout geometry on a small built-in example, so the id arithmetic can be checked by eye. */
@Command(name = "readout-demo", mixinStandardHelpOptions = true,
        description = "Print ids -> cells -> rects -> video coordinates for a built-in example and draw the cells.")
public final class ReadoutDemoCommand implements Callable<Integer> {

    /** Outside the working directory: run from the checkout, a default there would leave a stray file in it. */
    static final File DEFAULT_OUT = new File(System.getProperty("java.io.tmpdir"), "autogaze-readout-demo.png");

    @Option(names = "--out", paramLabel = "FILE.png", description = "PNG to write (default: ${DEFAULT-VALUE}).")
    File out = DEFAULT_OUT;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The example: released layout, a 320x240 source, four frames in two tubelets, two pads. */
    static final ScaleLayout LAYOUT = ScaleLayout.released();
    static final SourceFrame SOURCE = SourceFrame.of(LAYOUT, 320, 240);
    static final VideoGeometry GEOMETRY = new VideoGeometry(4, 224, 224, 2, 16);

    static GeneratedGaze example() {
        long n = LAYOUT.tokensPerFrame();
        long[] pos = {20, 83, n, 68, n + 19, n + 69, 2 * n + 4, 2 * n + 82, 3 * n + 264, 4 * n, 3 * n + 20};
        boolean[] pad = new boolean[pos.length];
        pad[2] = true;
        pad[9] = true;
        return new GeneratedGaze(new long[][] {pos}, new boolean[][] {pad}, new int[] {4, 2, 2, 3}, null, (int) n);
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        GeneratedGaze gaze = example();
        GazeTokenDecoder decoder = new GazeTokenDecoder(LAYOUT, SOURCE);
        ImageGridProjector perGaze = new ImageGridProjector(LAYOUT, GEOMETRY.frameGrid(), ReadoutOptions.defaults());
        w.printf("layout: scales %s, patch %d, grids %s, offsets %s, N = %d%n", Arrays.toString(LAYOUT.scales()),
                LAYOUT.patchSize(), Arrays.toString(LAYOUT.grids()), Arrays.toString(LAYOUT.offsets()),
                LAYOUT.tokensPerFrame());
        w.printf("source frame %dx%d; video grid %d frames x %dx%d px, tubelet %d, patch %d (%d bins of %dx%d)%n%n",
                SOURCE.width(), SOURCE.height(), GEOMETRY.frames(), GEOMETRY.width(), GEOMETRY.height(),
                GEOMETRY.tubelet(), GEOMETRY.patch(), GEOMETRY.bins(), GEOMETRY.rows(), GEOMETRY.cols());
        w.printf("%3s %6s %3s %5s %3s %5s %3s %3s  %-19s %-31s %s%n", "pos", "global", "pad", "frame", "id", "scale",
                "row", "col", "model rect", "source rect", "video tokens [t,r,c]");
        long[] pos = gaze.gazingPos()[0];
        boolean[] pad = gaze.padded()[0];
        int frame = 0;
        int end = gaze.numGazingEachFrame()[0];
        for (int i = 0; i < pos.length; i++) {
            while (i >= end) {
                end += gaze.numGazingEachFrame()[++frame];
            }
            Optional<GazeCell> cell = decoder.decode(pos[i], pad[i]);
            if (cell.isEmpty()) {
                w.printf("%3d %6d %3s %5d %3s %5s %3s %3s  %-19s %-31s %s%n", i, pos[i], "pad", frame, "-", "-", "-",
                        "-", "-", "-", "(dropped)");
                continue;
            }
            GazeCell c = cell.get();
            int[] toks = perGaze.project(new FrameIds(new int[] {c.id()}, null, new int[] {0, 1})).frame(0);
            w.printf("%3d %6d %3s %5d %3d %5d %3d %3d  %-19s %-31s %s%n", i, pos[i], ".", c.frame(), c.id(), c.scale(),
                    c.row(), c.col(), c.rect(), decoder.sourceRect(c), tokens(toks, c.frame() / GEOMETRY.tubelet()));
        }
        FixationTrace trace = FixationTrace.fromGenerated(gaze, decoder).get(0);
        VideoCoordinates coords = new VideoTokenProjector(LAYOUT, GEOMETRY, ReadoutOptions.defaults(),
                VideoTokenOptions.defaults()).project(trace, 0);
        w.printf("%nvideo coordinates [N,4] = [batch, t, row, col], N = %d (tubelet union, raster order):%n",
                coords.count());
        int[][] rows = coords.toArray();
        int[] flat = coords.flatIndices();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.length; i++) {
            sb.append(Arrays.toString(rows[i])).append("->").append(flat[i]).append(i % 5 == 4 ? "\n" : "  ");
        }
        w.println(sb.toString().stripTrailing());
        ReadoutPicture.write(out, LAYOUT, trace, coords);
        w.printf("%nwrote %s%n", out);
        w.flush();
        return 0;
    }

    private static String tokens(int[] toks, int bin) {
        StringBuilder sb = new StringBuilder().append(toks.length).append(':');
        for (int k = 0; k < Math.min(4, toks.length); k++) {
            sb.append(" [").append(bin).append(',').append(toks[k] / GEOMETRY.cols()).append(',')
                    .append(toks[k] % GEOMETRY.cols()).append(']');
        }
        return toks.length > 4 ? sb.append(" ...").toString() : sb.toString();
    }
}
