package dev.autogaze.video;

/**
 * A per-video input failure: the job turns it into an error row (path, stage, message) instead of failing the
 * task, so one bad file never costs a whole dataset.
 */
public final class VideoDecodeException extends Exception {

    private final String path;
    private final DecodeStage stage;
    private final String detail;

    public VideoDecodeException(String path, DecodeStage stage, String detail) {
        this(path, stage, detail, null);
    }

    public VideoDecodeException(String path, DecodeStage stage, String detail, Throwable cause) {
        super(stage + " failed for " + path + ": " + detail, cause);
        this.path = path;
        this.stage = stage;
        this.detail = detail;
    }

    public String path() {
        return path;
    }

    public DecodeStage stage() {
        return stage;
    }

    /** The message without the path and stage prefix. */
    public String detail() {
        return detail;
    }
}
