package dev.autogaze.model;

import dev.autogaze.model.cuda.CudaEngine;
import dev.autogaze.model.cuda.CudaSteps;

import java.util.ArrayList;
import java.util.List;

/**
 * One lane of the CUDA engine: an engine of its own on the device (stream, kernels, weights, workspace) with its own
 * generation loop. Several lanes run several batches on one GPU at once: one lane leaves the GPU idle while its host
 * waits (a decode step's picks come back before the next step is planned; a batch's pixels go up) and runs
 * latency-bound kernels (a decode step's small GEMMs) that fill part of the GPU; another lane's kernels fill those
 * gaps. Rows never depend on their batch, so splitting one changes no row.
 */
record CudaLane(CudaEngine engine, CudaSteps steps, GazeGenerator generator) {

    /** `count` lanes on the device `gpuAddress` names (null: device 0). */
    static Lanes<CudaLane> open(AutoGazeWeights weights, String gpuAddress, int count) {
        List<CudaLane> lanes = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                CudaEngine engine = CudaEngine.open(weights, gpuAddress);
                CudaSteps steps = engine.newSteps();
                lanes.add(new CudaLane(engine, steps, new GazeGenerator(steps, weights.config().layout())));
            }
        } catch (RuntimeException e) {
            lanes.forEach(CudaLane::close);
            throw e;
        }
        return new Lanes<>(lanes, CudaLane::close, "autogaze-cuda-lane");
    }

    /** Device bytes this lane holds: weights, encoder scratch, the current batch. */
    long deviceBytes() {
        return engine.fixedBytes() + steps.bytes();
    }

    void close() {
        steps.close();
        engine.close();
    }
}
