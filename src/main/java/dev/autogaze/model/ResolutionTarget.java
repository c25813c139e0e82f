package dev.autogaze.model;

import dev.autogaze.readout.ScaleLayout;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A downstream encoder's multi-scale token layout that gazes are delivered in (the official {@code target_scales},
 * {@code target_patch_size}), e.g. SigLIP at 392 with patch 14: {@code 56,112,196,392 / 14}. Plain data, so a job
 * spec can carry it to executors.
 *
 * @param scales strictly ascending target scales in pixels; the largest is the side the clip is processed to
 * @param patch  the target encoder's patch size; every scale is a multiple of it
 */
public record ResolutionTarget(int[] scales, int patch) implements Serializable {

    public ResolutionTarget {
        scales = scales.clone();
        ScaleLayout.target(scales, patch); // validates
    }

    /** Parses {@code --target-scales 56,112,196,392} with {@code --target-patch 14}. */
    public static ResolutionTarget parse(String scales, int patch) {
        if (scales == null || scales.isBlank()) {
            throw new IllegalArgumentException("--target-scales is empty");
        }
        String[] parts = scales.split(",");
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--target-scales '" + scales + "': '" + parts[i].trim()
                        + "' is not an integer");
            }
        }
        return new ResolutionTarget(values, patch);
    }

    /** The id layout of the delivered gazes: (scale / patch)^2 tokens per scale, coarse to fine. */
    public ScaleLayout layout() {
        return ScaleLayout.target(scales, patch);
    }

    /** The side the processor resizes every frame to: the largest target scale. */
    public int inputSize() {
        return scales[scales.length - 1];
    }

    @Override
    public int[] scales() {
        return scales.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolutionTarget t && patch == t.patch && Arrays.equals(scales, t.scales);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(scales) * 31 + patch;
    }

    /** "56,112,196,392/p14", as the CLI options read. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < scales.length; i++) {
            b.append(i == 0 ? "" : ",").append(scales[i]);
        }
        return b.append("/p").append(patch).toString();
    }
}
