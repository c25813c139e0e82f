package dev.autogaze.model.cuda;

/** A CUDA call failed; the message names the call and CUDA's error. */
public class CudaException extends RuntimeException {

    public CudaException(String message) {
        super(message);
    }
}
