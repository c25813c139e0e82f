package dev.autogaze.job;

import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's threads and device, set from the task's share of the executor: Spark already runs one task per core, so
 * ND4J's default (every core per op) would oversubscribe. Only called for sources that use ND4J, so a patch-diff run
 * never loads the native backend.
 *
 * <p>libnd4j fixes its op pool size ({@code maxThreads}) at start-up from {@code SD_MAX_THREADS} /
 * {@code OMP_NUM_THREADS}, so that cap is set per executor in conf/spark-defaults.conf ({@code spark.executorEnv.*});
 * what can change at run time is set here: the master threads that run ops and OpenBLAS's threads.
 */
public final class NativeThreads {

    private NativeThreads() {
    }

    /** Master and BLAS threads = the task's cores (the CPU engines; the cuda engine selects its own device). */
    public static void configure(int taskCpus) {
        Nd4j.getEnvironment().setMaxMasterThreads(taskCpus);
        Nd4j.factory().blas().setMaxThreads(taskCpus);
    }
}
