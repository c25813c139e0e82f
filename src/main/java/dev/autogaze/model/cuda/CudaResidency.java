package dev.autogaze.model.cuda;

/**
 * Where an engine's work runs, read back from CUDA rather than from the address it was asked for: the device of the
 * context its stream belongs to (every kernel and copy of the engine goes on that stream), the device its weights
 * were allocated on, and the device bytes it holds (weights, scratch and its generation workspaces).
 */
public record CudaResidency(int streamDevice, int weightsDevice, long deviceBytes) {
}
