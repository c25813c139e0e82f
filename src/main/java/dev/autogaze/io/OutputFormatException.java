package dev.autogaze.io;

/** An output folder or file that is not what docs/output-schema.md describes (wrong version, missing column). */
public class OutputFormatException extends RuntimeException {

    public OutputFormatException(String message) {
        super(message);
    }
}
