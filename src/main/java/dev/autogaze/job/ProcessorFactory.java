package dev.autogaze.job;

import dev.autogaze.model.GazeSource;
import org.apache.hadoop.conf.Configuration;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * Builds a task's {@link VideoProcessor} on the executor. The default one shares the JVM's gaze source and decodes
 * with FFmpeg; tests substitute their own (e.g. one that fails a chosen video to exercise resume).
 */
@FunctionalInterface
public interface ProcessorFactory extends Serializable {

    VideoProcessor create(JobOptions options, String configHash, JobCounters counters);

    /** The production processor: executor-wide gaze source, FFmpeg clips, the task's device. */
    static ProcessorFactory standard() {
        return (options, hash, counters) -> {
            String gpu = TaskDevice.gpuAddress();
            if (options.gazeSource().kind() == GazeSourceSpec.Kind.AUTOGAZE) {
                NativeThreads.configure(TaskDevice.taskCpus(), gpu);
            }
            GazeSource source = GazeSourceHolder.get(options.gazeSource());
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"), "autogaze-videos");
            ClipOpener opener = ClipOpener.ffmpeg(options.sampling(), new Configuration(), tmp);
            return new ClipProcessor(options, hash, source, opener, gpu == null ? "cpu" : "gpu:" + gpu, counters);
        };
    }
}
