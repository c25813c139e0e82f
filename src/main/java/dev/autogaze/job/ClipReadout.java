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
import dev.autogaze.readout.TokenPatches;
import dev.autogaze.readout.VideoCoordinates;
import dev.autogaze.readout.VideoGeometry;
import dev.autogaze.readout.VideoTokenProjector;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.RgbClip;

import java.util.List;

/**
 * One clip's gaze (a batch of one) through the readout library into its {@link ClipRow}: coordinates on the
 * downstream token grid, fixations with source rectangles, per-frame and per-bin token counts, the run's
 * configuration columns and, with {@code --emit-patches}, the kept tokens' pixels. Stateless after construction.
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
        FixationTrace trace = Readout.fixations(gaze, layout,
                SourceFrame.of(layout, clip.sourceWidth(), clip.sourceHeight())).get(0);
        FrameIds ids = FrameIds.fromGenerated(gaze, 0, layout.tokensPerFrame());
        VideoCoordinates coords = projector.project(ids, 0);
        int[][] perFrame = frameProjector.project(ids).perFrame();
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
        int f = trace.fixationCount();
        int[] fFrame = new int[f], fId = new int[f], fScale = new int[f], fRow = new int[f], fCol = new int[f];
        float[] fConf = new float[f], x0 = new float[f], y0 = new float[f], x1 = new float[f], y1 = new float[f];
        int i = 0;
        for (List<Fixation> frame : trace.frames()) {
            for (Fixation fx : frame) {
                fFrame[i] = fx.frame();
                fId[i] = fx.cell().id();
                fScale[i] = fx.cell().scale();
                fRow[i] = fx.cell().row();
                fCol[i] = fx.cell().col();
                fConf[i] = fx.confidence();
                ReadoutRect r = fx.sourceRect();
                x0[i] = (float) r.x0();
                y0[i] = (float) r.y0();
                x1[i] = (float) r.x1();
                y1[i] = (float) r.y1();
                i++;
            }
        }
        int real = gaze.realCount(0);
        int pads = gaze.padded()[0].length - real;
        double keep = (double) k / ((long) geometry.bins() * geometry.tokensPerBin());
        return new ClipRow(video.videoId(), video.path(), video.split(), video.extraOrEmpty(),
                clip.clipIndex(), clip.frameIndices(), clip.timestampsSec(), clip.paddedFrames(),
                clip.sourceWidth(), clip.sourceHeight(),
                sourceName, configHash, options.gaze().gazingRatio(), options.gaze().gazingRatioEachFrame(),
                options.gaze().taskLossRequirement(), options.gaze().maxGazeTokensPerFrame(),
                layout.frameSize(), layout.scales(), layout.tokensPerFrame(),
                geometry.frames(), geometry.height(), geometry.width(), geometry.tubelet(), geometry.patch(),
                geometry.bins(), geometry.rows(), geometry.cols(),
                gaze.numGazingEachFrame().clone(),
                ct, cr, cc, coords.flatIndices(),
                fFrame, fId, fScale, fRow, fCol, fConf, x0, y0, x1, y1,
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
}
