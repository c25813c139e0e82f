package dev.autogaze.job;

import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's thread pools and device, set from the task's share of the executor: Spark already runs one task per
 * core, so ND4J's own default (all cores per op) would oversubscribe. Only called for sources that use ND4J, so a
 * patch-diff run never loads the native backend.
 */
public final class NativeThreads {

    private NativeThreads() {
    }

    /** Threads = the task's cores; on a CUDA backend, this thread's device = the GPU Spark assigned (if any). */
    public static void configure(int taskCpus, String gpuAddress) {
        Nd4j.getEnvironment().setMaxThreads(taskCpus);
        Nd4j.getEnvironment().setMaxMasterThreads(taskCpus);
        if (gpuAddress != null && Nd4j.getBackend().getClass().getName().toLowerCase().contains("cuda")) {
            Nd4j.getAffinityManager().unsafeSetDevice(Integer.parseInt(gpuAddress));
        }
    }
}
