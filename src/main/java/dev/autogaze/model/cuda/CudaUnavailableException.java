package dev.autogaze.model.cuda;

/** No usable CUDA device or runtime on this machine; the message says why in one line. */
public class CudaUnavailableException extends CudaException {

    public CudaUnavailableException(String reason) {
        super("cuda engine unavailable: " + reason);
    }
}
