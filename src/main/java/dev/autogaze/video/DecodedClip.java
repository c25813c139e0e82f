package dev.autogaze.video;

import java.util.Arrays;

/**
 * One clip as the model consumes it: T RGB frames at the source size, with the decoded frame indices and
 * timestamps that tie every output row back to the video.
 *
 * @param videoId       stable id of the video (see {@link VideoRef})
 * @param clipIndex     0-based clip number within the video (and window)
 * @param frameIndices  decode-order index of each frame in the stream (0 = first decoded frame)
 * @param timestampsSec presentation time of each frame in seconds from the container start
 * @param paddedFrames  trailing entries that repeat the last real frame (REPEAT_LAST), 0 for a full clip
 * @param frames        the pixels, T frames of packed RGB
 * @param sourceWidth   width of the video stream
 * @param sourceHeight  height of the video stream
 */
public record DecodedClip(String videoId, int clipIndex, int[] frameIndices, double[] timestampsSec,
                          int paddedFrames, RgbClip frames, int sourceWidth, int sourceHeight) {

    public DecodedClip {
        int t = frames.frameCount();
        if (frameIndices.length != t || timestampsSec.length != t) {
            throw new IllegalArgumentException("clip " + clipIndex + " has " + t + " frames but "
                    + frameIndices.length + " indices and " + timestampsSec.length + " timestamps");
        }
        if (paddedFrames < 0 || paddedFrames >= t) {
            throw new IllegalArgumentException("padded frames " + paddedFrames + " must be in [0, " + t + ")");
        }
    }

    public int clipLength() {
        return frames.frameCount();
    }

    @Override
    public String toString() {
        return "DecodedClip[" + videoId + " #" + clipIndex + ", frames " + Arrays.toString(frameIndices)
                + (paddedFrames > 0 ? " (" + paddedFrames + " padded)" : "") + ", " + frames + "]";
    }
}
