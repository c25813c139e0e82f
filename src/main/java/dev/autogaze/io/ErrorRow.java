package dev.autogaze.io;

import java.io.Serializable;

/**
 * A video the job could not (fully) turn into clip rows. Written to the errors table so the run goes on and the
 * failures can be grouped by stage and retried.
 *
 * @param path        the video's path as listed
 * @param videoId     its id
 * @param stage       OPEN, PROBE, DECODE, SAMPLE, TIMEOUT (the video library's stages) or GAZE / READOUT
 * @param message     the failure, naming the bad value
 * @param clipsWritten clips of this video written before the failure (kept in the clips table)
 * @param configHash  the run configuration, so resume knows the video was already attempted
 */
public record ErrorRow(String path, String videoId, String stage, String message, int clipsWritten,
                       String configHash) implements Serializable {

    public ErrorRow {
        if (stage == null || stage.isBlank()) {
            throw new IllegalArgumentException("error row for " + path + " has no stage");
        }
        if (message == null) {
            message = "";
        }
    }
}
