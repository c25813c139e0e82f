package dev.autogaze.job;

import dev.autogaze.model.GazeSource;

import java.io.Serializable;

/**
 * Builds a task's {@link PartitionProcessor} on the executor. The default one shares the JVM's gaze source and
 * decodes with FFmpeg on as many threads as the task has cores; tests substitute their own (e.g. one that fails a
 * chosen video to exercise resume).
 */
@FunctionalInterface
public interface ProcessorFactory extends Serializable {

    PartitionProcessor create(JobOptions options, String configHash, JobCounters counters);

    /**
     * The production processor: executor-wide gaze source, FFmpeg clips decoded by {@code --decoders} threads (0:
     * by spark.task.cpus, JobOptions.decodersFor), the task's device.
     */
    static ProcessorFactory standard() {
        return (options, hash, counters) -> {
            String gpu = TaskDevice.gpuAddress();
            GazeSourceSpec spec = options.gazeSource();
            if (spec.kind() == GazeSourceSpec.Kind.AUTOGAZE && !spec.runsOnCuda()) {
                NativeThreads.configure(TaskDevice.taskCpus());
            }
            GazeSource source = GazeSourceHolder.get(spec, gpu);
            ClipOpener opener = ClipOpener.ffmpeg(options.sampling(), ExecutorEnv.hadoop(), ExecutorEnv.videoTmp());
            int decoders = options.decodersFor(TaskDevice.taskCpus());
            return ClipPipeline.processor(options, hash, source, opener, gpu == null ? "cpu" : "gpu:" + gpu, counters,
                    decoders);
        };
    }
}
