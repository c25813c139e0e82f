package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;

import java.util.Arrays;

/** Compares a generate result with a recorded reference case and names the first difference, if any. */
public final class ParityReport {

    private ParityReport() {
    }

    /** null when gazing_pos, if_padded_gazing, num_gazing_each_frame and every mask are identical. */
    public static String firstMismatch(ReferenceCase c, GazeResult r) {
        GeneratedGaze g = r.gaze();
        int[] expN = c.numGazingEachFrame();
        int[] gotN = g.numGazingEachFrame();
        long[][] expPos = c.gazingPos();
        boolean[][] expPad = c.padded();
        if (g.batchSize() != c.batch()) {
            return "batch " + g.batchSize() + " != " + c.batch();
        }
        // walk frame by frame so the message names the frame and the position within it
        int frames = Math.max(expN.length, gotN.length);
        int offE = 0;
        int offG = 0;
        for (int t = 0; t < frames; t++) {
            int ne = t < expN.length ? expN[t] : -1;
            int ng = t < gotN.length ? gotN[t] : -1;
            for (int b = 0; b < c.batch(); b++) {
                for (int i = 0; i < Math.min(ne, ng); i++) {
                    long pe = expPos[b][offE + i];
                    long pg = g.gazingPos()[b][offG + i];
                    boolean de = expPad[b][offE + i];
                    boolean dg = g.padded()[b][offG + i];
                    if (de != dg || (!de && pe != pg)) {
                        return "frame " + t + " row " + b + " position " + i + ": expected "
                                + (de ? "pad" : "id " + (pe - (long) t * g.tokensPerFrame())) + ", got "
                                + (dg ? "pad" : "id " + (pg - (long) t * g.tokensPerFrame()));
                    }
                }
            }
            if (ne != ng) {
                return "frame " + t + ": expected " + ne + " gazes, got " + ng;
            }
            offE += ne;
            offG += ng;
        }
        for (int b = 0; b < c.batch(); b++) {
            if (!Arrays.equals(expPos[b], g.gazingPos()[b])) {
                return "row " + b + ": gazing_pos differs at a pad entry";
            }
        }
        for (int s = 0; s < r.masks().length; s++) {
            if (!Arrays.equals(c.mask(s), r.masks()[s])) {
                return "gazing_mask_" + s + " differs";
            }
        }
        return null;
    }
}
