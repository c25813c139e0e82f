package dev.autogaze.cli;

import java.lang.management.ManagementFactory;

/** The benchmarks' CPU clock: this JVM's CPU time over all its threads. */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** CPU nanoseconds of this process so far; 0 where the JVM does not report it. */
    static long nanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0L;
    }
}
