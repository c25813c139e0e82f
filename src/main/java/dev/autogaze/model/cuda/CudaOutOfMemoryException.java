package dev.autogaze.model.cuda;

/** Device memory ran out; the engine rethrows it naming the batch size to lower. */
public class CudaOutOfMemoryException extends CudaException {

    public CudaOutOfMemoryException(String message) {
        super(message);
    }
}
