package dev.autogaze.model;

/** A model folder, config.json or safetensors file that cannot be used as it is; the message names the culprit. */
public class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
