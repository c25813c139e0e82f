package dev.autogaze.readout;

import java.util.ArrayList;
import java.util.List;

/**
 * One-call adapters from generate() output or fixation traces to tokens, coordinates and tensors, for callers that
 * do not keep a projector around. Each call builds its projector (a few microseconds per id table).
 */
public final class Readout {

    private Readout() {
    }

    /** Per batch row, the real gazes as fixations in gaze order. */
    public static List<FixationTrace> fixations(GeneratedGaze gaze, ScaleLayout layout, SourceFrame source) {
        return FixationTrace.fromGenerated(gaze, new GazeDecoder(layout, source));
    }

    public static List<ImageTokens> imageTokens(GeneratedGaze gaze, ScaleLayout layout, ImageGrid grid,
                                                ReadoutOptions options) {
        ImageGridProjector p = new ImageGridProjector(layout, grid, options);
        List<ImageTokens> out = new ArrayList<>(gaze.batchSize());
        for (int b = 0; b < gaze.batchSize(); b++) {
            out.add(p.project(FrameIds.fromGenerated(gaze, b, layout.tokensPerFrame())));
        }
        return out;
    }

    public static List<ImageTokens> imageTokens(List<FixationTrace> traces, ScaleLayout layout, ImageGrid grid,
                                                ReadoutOptions options) {
        ImageGridProjector p = new ImageGridProjector(layout, grid, options);
        List<ImageTokens> out = new ArrayList<>(traces.size());
        for (FixationTrace t : traces) {
            out.add(p.project(t));
        }
        return out;
    }

    public static BatchCoordinates videoCoordinates(GeneratedGaze gaze, ScaleLayout layout, VideoGeometry geometry,
                                                    ReadoutOptions options, VideoTokenOptions budgets) {
        VideoTokenProjector p = new VideoTokenProjector(layout, geometry, options, budgets);
        List<VideoCoordinates> rows = new ArrayList<>(gaze.batchSize());
        for (int b = 0; b < gaze.batchSize(); b++) {
            rows.add(p.project(FrameIds.fromGenerated(gaze, b, layout.tokensPerFrame()), b));
        }
        return new BatchCoordinates(geometry, rows);
    }

    public static BatchCoordinates videoCoordinates(List<FixationTrace> traces, ScaleLayout layout,
                                                    VideoGeometry geometry, ReadoutOptions options,
                                                    VideoTokenOptions budgets) {
        VideoTokenProjector p = new VideoTokenProjector(layout, geometry, options, budgets);
        List<VideoCoordinates> rows = new ArrayList<>(traces.size());
        for (int b = 0; b < traces.size(); b++) {
            rows.add(p.project(traces.get(b), b));
        }
        return new BatchCoordinates(geometry, rows);
    }
}
