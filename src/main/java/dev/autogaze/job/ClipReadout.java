package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.model.PillowBilinear;
import dev.autogaze.readout.Fixation;
import dev.autogaze.readout.FixationTrace;
import dev.autogaze.readout.FrameIds;
import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ImageGridProjector;
import dev.autogaze.readout.Readout;
import dev.autogaze.readout.ReadoutRect;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.readout.SourceFrame;
import dev.autogaze.readout.TileLayout;
import dev.autogaze.readout.TiledIds;
import dev.autogaze.readout.TokenPatches;
import dev.autogaze.readout.VideoCoordinates;
import dev.autogaze.readout.VideoGeometry;
import dev.autogaze.readout.VideoTokenProjector;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.RgbClip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One clip's gaze (a batch of one) through the readout library into its {@link ClipRow}: coordinates on the
 * downstream token grid, fixations with source rectangles, per-frame and per-bin token counts, the run's
 * configuration columns and, with {@code --emit-patches}, the kept tokens' pixels. With {@code --tiles} the gaze is
 * a {@link TiledIds} one, read out on the whole frame. Not thread-safe (its projectors are not).
 */
final class ClipReadout {

    private final JobOptions options;
    private final String configHash;
    private final String sourceName;
    private final String device;
    private final ScaleLayout layout;
    private final VideoGeometry geometry;
    private final VideoTokenProjector projector;
    private final ImageGridProjector frameProjector;
    /** --tiles: per source size (a TiledIds names it), built on first use. */
    private final Map<TiledIds, TiledProjectors> tiledProjectors = new HashMap<>();

    ClipReadout(JobOptions options, String configHash, String sourceName, ScaleLayout layout, String device) {
        this.options = options;
        this.configHash = configHash;
        this.sourceName = sourceName;
        this.device = device;
        this.layout = layout;
        this.geometry = options.geometry();
        this.projector = new VideoTokenProjector(layout, geometry, options.readout(), options.videoTokens());
        this.frameProjector = new ImageGridProjector(layout, geometry.frameGrid(), options.readout());
    }

    /** The row of {@code clip} of {@code video}, whose gaze is {@code gaze} (batch size 1). */
    ClipRow row(VideoTask video, DecodedClip clip, GeneratedGaze gaze) {
        if (gaze.batchSize() != 1) {
            throw new IllegalArgumentException("one clip's gaze must be a batch of one, got " + gaze);
        }
        TiledIds tiled = options.tiles() ? new TiledIds(layout,
                AnyResTiles.layoutOf(layout, clip.sourceWidth(), clip.sourceHeight())) : null;
        Fixations fx = new Fixations();
        FrameIds ids;
        VideoCoordinates coords;
        int[][] perFrame;
        if (tiled == null) {
            FixationTrace trace = Readout.fixations(gaze, layout,
                    SourceFrame.of(layout, clip.sourceWidth(), clip.sourceHeight())).get(0);
            for (List<Fixation> frame : trace.frames()) {
                for (Fixation f : frame) {
                    fx.add(f.frame(), f.cell().id(), f.cell().scale(), f.cell().row(), f.cell().col(), f.confidence(),
                            f.sourceRect());
                }
            }
            ids = FrameIds.fromGenerated(gaze, 0, layout.tokensPerFrame());
            coords = projector.project(ids, 0);
            perFrame = frameProjector.project(ids).perFrame();
        } else {
            ids = FrameIds.fromGenerated(gaze, 0, tiled.tokensPerFrame());
            for (int t = 0; t < ids.frames(); t++) {
                for (int i = ids.frameStart()[t]; i < ids.frameStart()[t + 1]; i++) {
                    int id = ids.ids()[i];
                    float conf = ids.confidenceAt(i);
                    int frame = t;
                    // cells wholly in the black padding past the frame are dropped, as TileLayout does
                    tiled.cell(t, id).ifPresent(c -> fx.add(frame, id, c.scale(), c.row(), c.col(), conf, c.rect()));
                }
            }
            TiledProjectors p = tiledProjectors.computeIfAbsent(tiled, k -> new TiledProjectors(
                    new VideoTokenProjector(k, geometry, options.readout(), options.videoTokens()),
                    new ImageGridProjector(k, geometry.frameGrid(), options.readout())));
            coords = p.video().project(ids, 0);
            perFrame = p.frames().project(ids).perFrame();
        }
        int[] tokensEachFrame = new int[perFrame.length];
        for (int t = 0; t < perFrame.length; t++) {
            tokensEachFrame[t] = perFrame[t].length;
        }
        int k = coords.count();
        int[] ct = new int[k];
        int[] cr = new int[k];
        int[] cc = new int[k];
        int[] perBin = new int[geometry.bins()];
        for (int i = 0; i < k; i++) {
            ct[i] = coords.temporal(i);
            cr[i] = coords.row(i);
            cc[i] = coords.col(i);
            perBin[ct[i]]++;
        }
        int real = gaze.realCount(0);
        int pads = gaze.padded()[0].length - real;
        double keep = (double) k / ((long) geometry.bins() * geometry.tokensPerBin());
        TileLayout tiles = tiled == null ? null : tiled.tiles();
        return new ClipRow(video.videoId(), video.path(), video.split(), video.extraOrEmpty(),
                clip.clipIndex(), clip.frameIndices(), clip.timestampsSec(), clip.paddedFrames(),
                clip.sourceWidth(), clip.sourceHeight(),
                sourceName, configHash, options.gaze().gazingRatio(), options.gaze().gazingRatioEachFrame(),
                options.gaze().taskLossRequirement(), options.gaze().maxGazeTokensPerFrame(),
                layout.frameSize(), layout.scales(), layout.tokensPerFrame(), layout.patchSize(),
                tiles == null ? 0 : tiles.tileRows(), tiles == null ? 0 : tiles.tileColumns(),
                tiles == null ? 0 : tiles.tileWidth(),
                geometry.frames(), geometry.height(), geometry.width(), geometry.tubelet(), geometry.patch(),
                geometry.bins(), geometry.rows(), geometry.cols(),
                gaze.numGazingEachFrame().clone(),
                ct, cr, cc, coords.flatIndices(),
                fx.frame.build().toArray(), fx.id.build().toArray(), fx.scale.build().toArray(), fx.row.build().toArray(), fx.col.build().toArray(),
                fx.floats(fx.conf), fx.floats(fx.x0), fx.floats(fx.y0), fx.floats(fx.x1), fx.floats(fx.y1),
                real, pads, tokensEachFrame, perBin, keep, device,
                options.emitPatches() ? TokenPatches.gather(geometry, downstreamFrames(clip.frames(), geometry), ct, cr,
                        cc).data() : null);
    }

    /**
     * The clip as the downstream model sees it: each whole frame resized to the downstream height x width with
     * Pillow's antialiased bilinear filter ({@code Image.resize((width, height), Image.BILINEAR)}, bit-exact), the
     * resize docs/output-schema.md tells a training job to use for frames of its own.
     */
    static byte[][] downstreamFrames(RgbClip clip, VideoGeometry geometry) {
        byte[][] out = new byte[clip.frameCount()][];
        for (int t = 0; t < out.length; t++) {
            out[t] = PillowBilinear.resize(clip.frames()[t], clip.width(), clip.height(), geometry.width(),
                    geometry.height());
        }
        return out;
    }

    /** The projectors of one tiled source size (their tables depend on it). */
    private record TiledProjectors(VideoTokenProjector video, ImageGridProjector frames) {
    }

    /** The fixation columns, in frame order, gaze order within a frame. */
    private static final class Fixations {
        final IntStream.Builder frame = IntStream.builder();
        final IntStream.Builder id = IntStream.builder();
        final IntStream.Builder scale = IntStream.builder();
        final IntStream.Builder row = IntStream.builder();
        final IntStream.Builder col = IntStream.builder();
        final List<Float> conf = new ArrayList<>();
        final List<Float> x0 = new ArrayList<>();
        final List<Float> y0 = new ArrayList<>();
        final List<Float> x1 = new ArrayList<>();
        final List<Float> y1 = new ArrayList<>();

        void add(int f, int i, int s, int r, int c, float confidence, ReadoutRect rect) {
            frame.add(f);
            id.add(i);
            scale.add(s);
            row.add(r);
            col.add(c);
            conf.add(confidence);
            x0.add((float) rect.x0());
            y0.add((float) rect.y0());
            x1.add((float) rect.x1());
            y1.add((float) rect.y1());
        }

        float[] floats(List<Float> values) {
            float[] out = new float[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
            return out;
        }
    }
}
