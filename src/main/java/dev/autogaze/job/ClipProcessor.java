package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.model.GazeSource;
import dev.autogaze.readout.Fixation;
import dev.autogaze.readout.FixationTrace;
import dev.autogaze.readout.FrameIds;
import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ImageGridProjector;
import dev.autogaze.readout.Readout;
import dev.autogaze.readout.ReadoutRect;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.readout.SourceFrame;
import dev.autogaze.readout.VideoCoordinates;
import dev.autogaze.readout.VideoGeometry;
import dev.autogaze.readout.VideoTokenProjector;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.RgbClip;
import dev.autogaze.video.VideoDecodeException;

import java.util.ArrayList;
import java.util.List;

/**
 * The job's per-video work without Spark: decoded clips, batched B at a time (never across videos, so a row does
 * not depend on partitioning), through the gaze source and the readout library into {@link ClipRow}s. A bad
 * video becomes one {@link ErrorRow}; clips decoded before the failure are kept. Not thread-safe: one per task.
 */
public final class ClipProcessor implements VideoProcessor {

    /** Error stages the job adds to the video library's OPEN/PROBE/DECODE/SAMPLE/TIMEOUT. */
    public static final String STAGE_GAZE = "GAZE";
    public static final String STAGE_READOUT = "READOUT";

    private final JobOptions options;
    private final String configHash;
    private final GazeSource source;
    private final ClipOpener opener;
    private final String device;
    private final ScaleLayout layout;
    private final VideoGeometry geometry;
    private final VideoTokenProjector projector;
    private final ImageGridProjector frameProjector;
    private final JobCounters counters;

    public ClipProcessor(JobOptions options, String configHash, GazeSource source, ClipOpener opener, String device,
                         JobCounters counters) {
        this.options = options;
        this.configHash = configHash;
        this.source = source;
        this.opener = opener;
        this.device = device;
        this.layout = source.layout();
        this.geometry = options.geometry();
        this.projector = new VideoTokenProjector(layout, geometry, options.readout(), options.videoTokens());
        this.frameProjector = new ImageGridProjector(layout, geometry.frameGrid(), options.readout());
        this.counters = counters;
    }

    @Override
    public void process(VideoTask video, Sink sink) {
        int written = 0;
        List<DecodedClip> batch = new ArrayList<>(options.batchSize());
        long t0 = System.nanoTime();
        try (ClipOpener.Clips clips = opener.open(video)) {
            for (DecodedClip c = clips.next(); c != null; c = clips.next()) {
                counters.addDecodeNanos(System.nanoTime() - t0);
                batch.add(c);
                if (batch.size() == options.batchSize()) {
                    written += runBatch(video, batch, sink);
                    for (DecodedClip done : batch) {
                        clips.recycle(done);
                    }
                    batch.clear();
                }
                t0 = System.nanoTime();
            }
            counters.addDecodeNanos(System.nanoTime() - t0);
            if (!batch.isEmpty()) {
                written += runBatch(video, batch, sink);
            }
        } catch (VideoDecodeException e) {
            try {
                if (!batch.isEmpty()) {
                    written += runBatch(video, batch, sink);
                }
            } catch (StageException se) {
                sink.error(new ErrorRow(video.path(), video.videoId(), se.stage, se.getMessage(), written, configHash));
            }
            sink.error(new ErrorRow(video.path(), video.videoId(), e.stage().name(), e.detail(), written, configHash));
            counters.addError();
        } catch (StageException e) {
            sink.error(new ErrorRow(video.path(), video.videoId(), e.stage, e.getMessage(), written, configHash));
            counters.addError();
        }
        counters.addVideo();
    }

    /** Gaze, readout and rows for clips of one video; returns the clips written. */
    private int runBatch(VideoTask video, List<DecodedClip> batch, Sink sink) {
        List<RgbClip> frames = new ArrayList<>(batch.size());
        for (DecodedClip c : batch) {
            frames.add(c.frames());
        }
        long t0 = System.nanoTime();
        GeneratedGaze gaze;
        try {
            if (source.threadSafe()) {
                gaze = source.gaze(frames, options.gaze());
            } else {
                synchronized (source) {
                    gaze = source.gaze(frames, options.gaze());
                }
            }
        } catch (RuntimeException e) {
            throw new StageException(STAGE_GAZE, source.name() + " failed on clips " + batch.get(0).clipIndex() + "-"
                    + batch.get(batch.size() - 1).clipIndex() + ": " + e, e);
        }
        long t1 = System.nanoTime();
        counters.addGazeNanos(t1 - t0);
        List<ClipRow> rows = new ArrayList<>(batch.size());
        try {
            // Clips of one video share the source size, so one decoder serves the batch.
            DecodedClip first = batch.get(0);
            List<FixationTrace> traces = Readout.fixations(gaze, layout,
                    SourceFrame.of(layout, first.sourceWidth(), first.sourceHeight()));
            for (int b = 0; b < batch.size(); b++) {
                FrameIds ids = FrameIds.fromGenerated(gaze, b, layout.tokensPerFrame());
                VideoCoordinates coords = projector.project(ids, 0);
                int[][] perFrame = frameProjector.project(ids).perFrame();
                int[] tokensEachFrame = new int[perFrame.length];
                for (int t = 0; t < perFrame.length; t++) {
                    tokensEachFrame[t] = perFrame[t].length;
                }
                rows.add(row(video, batch.get(b), gaze, b, traces.get(b), coords, tokensEachFrame));
            }
        } catch (RuntimeException e) {
            throw new StageException(STAGE_READOUT, "readout failed: " + e, e);
        }
        counters.addReadoutNanos(System.nanoTime() - t1);
        for (ClipRow r : rows) {
            sink.clip(r);
            counters.addClip(r.realGazes(), r.tokenCount());
        }
        return rows.size();
    }

    private ClipRow row(VideoTask video, DecodedClip clip, GeneratedGaze gaze, int b, FixationTrace trace,
                        VideoCoordinates coords, int[] tokensEachFrame) {
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
        int real = gaze.realCount(b);
        int pads = gaze.padded()[b].length - real;
        double keep = (double) k / ((long) geometry.bins() * geometry.tokensPerBin());
        return new ClipRow(video.videoId(), video.path(), video.split(), video.extraOrEmpty(),
                clip.clipIndex(), clip.frameIndices(), clip.timestampsSec(), clip.paddedFrames(),
                clip.sourceWidth(), clip.sourceHeight(),
                source.name(), configHash, options.gaze().gazingRatio(), options.gaze().gazingRatioEachFrame(),
                options.gaze().taskLossRequirement(), options.gaze().maxGazeTokensPerFrame(),
                layout.frameSize(), layout.scales(), layout.tokensPerFrame(),
                geometry.frames(), geometry.height(), geometry.width(), geometry.tubelet(), geometry.patch(),
                geometry.bins(), geometry.rows(), geometry.cols(),
                gaze.numGazingEachFrame().clone(),
                ct, cr, cc, coords.flatIndices(),
                fFrame, fId, fScale, fRow, fCol, fConf, x0, y0, x1, y1,
                real, pads, tokensEachFrame, perBin, keep, device);
    }

    /** A per-video failure after decoding, carrying the stage its error row names. */
    private static final class StageException extends RuntimeException {
        final String stage;

        StageException(String stage, String message, Throwable cause) {
            super(message, cause);
            this.stage = stage;
        }
    }
}
