package dev.autogaze.video;

/** Where in the input pipeline a video failed, so error rows can be grouped and retried by cause. */
public enum DecodeStage {
    /** Locating, copying or opening the file and its container. */
    OPEN,
    /** Reading stream information: no video stream, missing decoder, unusable size. */
    PROBE,
    /** Decoding packets into frames. */
    DECODE,
    /** Turning decoded frames into clips: nothing left to sample, or no clip under the policy. */
    SAMPLE,
    /** The per-video decode time limit ran out. */
    TIMEOUT
}
