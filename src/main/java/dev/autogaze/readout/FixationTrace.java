package dev.autogaze.readout;

import java.util.ArrayList;
import java.util.List;

/**
 * The real gazes of one clip (one batch row), per frame in gaze order. The common input of every projection, so a
 * fixation list from another source (an eye tracker, a saliency baseline) is projected exactly like model output.
 */
public record FixationTrace(List<List<Fixation>> frames) {

    public FixationTrace {
        if (frames == null) {
            throw new IllegalArgumentException("fixation trace has no frame list");
        }
        List<List<Fixation>> copy = new ArrayList<>(frames.size());
        for (int t = 0; t < frames.size(); t++) {
            List<Fixation> list = frames.get(t);
            if (list == null) {
                throw new IllegalArgumentException("frame " + t + " of the fixation trace is null");
            }
            for (int i = 0; i < list.size(); i++) {
                Fixation f = list.get(i);
                if (f.frame() != t) {
                    throw new IllegalArgumentException("fixation " + i + " of frame " + t + " says frame " + f.frame());
                }
                if (i > 0 && f.order() <= list.get(i - 1).order()) {
                    throw new IllegalArgumentException("frame " + t + ": fixation orders must increase, found "
                            + list.get(i - 1).order() + " then " + f.order());
                }
            }
            copy.add(List.copyOf(list));
        }
        frames = List.copyOf(copy);
    }

    public int frameCount() {
        return frames.size();
    }

    public List<Fixation> frame(int t) {
        return frames.get(t);
    }

    public int fixationCount() {
        int n = 0;
        for (List<Fixation> f : frames) {
            n += f.size();
        }
        return n;
    }

    /** One trace per batch row of generate() output; pads never become fixations (see FrameIds.fromGenerated). */
    public static List<FixationTrace> fromGenerated(GeneratedGaze gaze, GazeDecoder decoder) {
        List<FixationTrace> rows = new ArrayList<>(gaze.batchSize());
        for (int b = 0; b < gaze.batchSize(); b++) {
            rows.add(of(FrameIds.fromGenerated(gaze, b, decoder.layout().tokensPerFrame()), decoder));
        }
        return rows;
    }

    /** Decodes primitive per-frame ids into fixations (order = rank within the frame). */
    public static FixationTrace of(FrameIds ids, GazeDecoder decoder) {
        List<List<Fixation>> frames = new ArrayList<>(ids.frames());
        for (int t = 0; t < ids.frames(); t++) {
            List<Fixation> list = new ArrayList<>(ids.frameStart()[t + 1] - ids.frameStart()[t]);
            for (int i = ids.frameStart()[t]; i < ids.frameStart()[t + 1]; i++) {
                list.add(Fixation.of(decoder, decoder.cell(t, ids.ids()[i]), list.size(), ids.confidenceAt(i)));
            }
            frames.add(list);
        }
        return new FixationTrace(frames);
    }
}
