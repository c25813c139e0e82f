package dev.autogaze.job;

/**
 * The output folder holds rows this run must not be mixed with (a resume whose configuration hash differs from the
 * folder's): the run stops before any work and leaves the folder as it was. The message is one line naming both.
 */
public final class OutputConflictException extends IllegalStateException {

    public OutputConflictException(String message) {
        super(message);
    }
}
