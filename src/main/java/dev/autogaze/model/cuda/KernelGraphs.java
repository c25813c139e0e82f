package dev.autogaze.model.cuda;

import org.bytedeco.cuda.cudart.CUgraphExec_st;
import org.bytedeco.cuda.cudart.CUgraph_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * CUDA graphs of decoder calls, one per call shape. A decoder call is about 45 small kernels; at a batch of one the
 * host's launches, not the GPU, set its pace. Every launch argument of a call is fixed by its shape (the token and
 * row counts, the query tiles, prefill or not) and the workspace's buffers, while the plan's integers go up to the
 * same device buffer before each call: so a shape seen twice is captured once and then replayed as one graph launch.
 * A shape is captured at its second sighting (one-off shapes of a ragged batch cost no capture); the newest
 * {@link #MAX_GRAPHS} graphs are kept. Owned by one {@link Workspace}, whose buffers the graphs name.
 */
final class KernelGraphs implements AutoCloseable {

    /** AUTOGAZE_CUDA_GRAPHS=0 launches every kernel directly (for side-by-side timing). */
    static final boolean ENABLED = !"0".equals(System.getenv("AUTOGAZE_CUDA_GRAPHS"))
            && !CudaModule.DEBUG && !CudaModule.PROFILE; // both wait inside launches: no capture
    static final int MAX_GRAPHS = 256;

    /**
     * What fixes every launch argument of a decoder call on a given workspace; `vision` is the address of the vision
     * tokens it gathers from (0 when its inputs were uploaded).
     */
    record Shape(int tokens, int rows, int tiles, boolean prefill, long vision) {
    }

    private final Set<Shape> seen = new HashSet<>();
    private final LinkedHashMap<Shape, CUgraphExec_st> graphs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Shape, CUgraphExec_st> eldest) {
            if (size() > MAX_GRAPHS) {
                cudart.cudaGraphExecDestroy(eldest.getValue());
                return true;
            }
            return false;
        }
    };

    /** Runs `enqueue` (launches on `stream` only) for a call of this shape: replayed, captured, or directly. */
    void run(Shape shape, CUstream_st stream, Runnable enqueue) {
        if (!ENABLED) {
            enqueue.run();
            return;
        }
        CUgraphExec_st exec = graphs.get(shape);
        if (exec == null && !seen.add(shape)) {
            exec = capture(stream, enqueue);
            graphs.put(shape, exec);
        } else if (exec == null) {
            enqueue.run();
            return;
        }
        Cuda.check(cudart.cudaGraphLaunch(exec, stream), "cudaGraphLaunch");
    }

    private static CUgraphExec_st capture(CUstream_st stream, Runnable enqueue) {
        Cuda.check(cudart.cudaStreamBeginCapture(stream, cudart.cudaStreamCaptureModeThreadLocal),
                "cudaStreamBeginCapture");
        CUgraph_st graph = new CUgraph_st();
        boolean enqueued = false;
        try {
            enqueue.run();
            enqueued = true;
        } finally {
            // ends the capture even when a launch failed, so the stream is usable again
            int rc = cudart.cudaStreamEndCapture(stream, graph);
            if (enqueued) {
                Cuda.check(rc, "cudaStreamEndCapture");
            }
        }
        try {
            CUgraphExec_st exec = new CUgraphExec_st();
            Cuda.check(cudart.cudaGraphInstantiate(exec, graph, 0L), "cudaGraphInstantiate");
            return exec;
        } finally {
            cudart.cudaGraphDestroy(graph);
        }
    }

    @Override
    public void close() {
        for (CUgraphExec_st exec : graphs.values()) {
            cudart.cudaGraphExecDestroy(exec);
        }
        graphs.clear();
        seen.clear();
    }
}
