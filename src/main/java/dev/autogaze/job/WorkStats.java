package dev.autogaze.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a run's work was spread, for summary.json's "work": planning time, how many videos had a clip estimate and
 * how many were split, and the processing tasks' wall times (max / median: 1.0 is perfectly even).
 */
record WorkStats(String balance, double planningSeconds, int videosEstimated, int videosSplit, int tasks,
                 double maxTaskSeconds, double medianTaskSeconds) {

    static WorkStats of(String balance, double planningSeconds, int estimated, int split, List<Double> taskSeconds) {
        double[] t = taskSeconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new WorkStats(balance, planningSeconds, estimated, split, t.length,
                t.length == 0 ? 0 : t[t.length - 1], t.length == 0 ? 0 : t[t.length / 2]);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("balance", balance);
        m.put("planning_seconds", round(planningSeconds));
        m.put("videos_estimated", videosEstimated);
        m.put("videos_split", videosSplit);
        m.put("tasks", tasks);
        m.put("max_task_seconds", round(maxTaskSeconds));
        m.put("median_task_seconds", round(medianTaskSeconds));
        m.put("max_over_median", round(medianTaskSeconds > 0 ? maxTaskSeconds / medianTaskSeconds : 0));
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
