package dev.autogaze.job;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

import java.util.Map;

/**
 * The device a Spark task was given: the first GPU address Spark assigned it (TaskContext resources, from the
 * cluster's discovery script), or "cpu". Written into every row's device column so a run shows where it ran.
 */
public final class TaskDevice {

    private TaskDevice() {
    }

    /** "gpu:ADDR" when the current task holds a GPU, else "cpu" (also outside a task). */
    public static String current() {
        String gpu = gpuAddress();
        return gpu == null ? "cpu" : "gpu:" + gpu;
    }

    /** The first assigned GPU address of the current task, or null (see {@link #gpuAddress(Map)}). */
    public static String gpuAddress() {
        TaskContext tc = TaskContext.get();
        return tc == null ? null : gpuAddress(tc.resourcesJMap());
    }

    /**
     * The GPU address of a task with these resources, or null when it holds none. A task given several GPUs
     * ({@code spark.task.resource.gpu.amount} > 1) runs on the first one Spark lists: the engine uses one device.
     */
    static String gpuAddress(Map<String, ResourceInformation> resources) {
        ResourceInformation gpu = resources.get("gpu");
        if (gpu == null || gpu.addresses().length == 0) {
            return null;
        }
        return gpu.addresses()[0];
    }

    /** Cores of the current task (spark.task.cpus), 1 outside a task. */
    public static int taskCpus() {
        TaskContext tc = TaskContext.get();
        if (tc == null) {
            return 1;
        }
        return Math.max(1, tc.cpus());
    }
}
