package dev.autogaze.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autogaze.io.OutputSchema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run did, written as OUT/summary.json: counts, errors, throughput, where task time went, and the full
 * configuration with its hash. "counts" are this run's (a resume counts only the videos it processed); "totals" are
 * the whole output folder after the run. Times under "task_seconds" are summed over tasks (they exceed wall time
 * when tasks run in parallel). "model" (autogaze only) names the model folder used and, for a Hugging Face cache
 * snapshot, its revision (the commit hash the snapshot folder is named after).
 */
public record RunSummary(String configHash, String gazeSource, long videosListed, long videosSkipped,
                         long videosProcessed, long errorVideos, long errorRows, Map<String, Long> errorsByStage, long clips, long realGazes,
                         long tokens, int waves, double wallSeconds, double decodeSeconds, double gazeSeconds,
                         double readoutSeconds, OutputTotals totals, String clipsPath, String errorsPath, String summaryPath,
                         String sparkMaster, String appId, Map<String, Object> configuration, String canonical,
                         Map<String, Object> model, WorkStats work) {

    public double clipsPerSecond() {
        return wallSeconds > 0 ? clips / wallSeconds : 0;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema_version", OutputSchema.VERSION);
        m.put("config_hash", configHash);
        m.put("gaze_source", gazeSource);
        if (model != null) {
            m.put("model", model);
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("videos_listed", videosListed);
        counts.put("videos_skipped", videosSkipped);
        counts.put("videos_processed", videosProcessed);
        counts.put("videos_with_errors", errorVideos);
        counts.put("error_rows", errorRows);
        counts.put("errors_by_stage", errorsByStage);
        counts.put("clips", clips);
        counts.put("real_gazes", realGazes);
        counts.put("tokens", tokens);
        counts.put("waves", waves);
        m.put("counts", counts);
        Map<String, Object> whole = new LinkedHashMap<>();
        whole.put("clips", totals.clips());
        whole.put("videos_with_clips", totals.videos());
        whole.put("tokens", totals.tokens());
        whole.put("error_rows", totals.errorRows());
        m.put("totals", whole);
        Map<String, Object> throughput = new LinkedHashMap<>();
        throughput.put("wall_seconds", round(wallSeconds));
        throughput.put("clips_per_second", round(clipsPerSecond()));
        throughput.put("videos_per_second", round(wallSeconds > 0 ? videosProcessed / wallSeconds : 0));
        m.put("throughput", throughput);
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("decode", round(decodeSeconds));
        task.put("gaze", round(gazeSeconds));
        task.put("readout", round(readoutSeconds));
        m.put("task_seconds", task);
        if (work != null) {
            m.put("work", work.toMap());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clips", clipsPath);
        out.put("errors", errorsPath);
        out.put("summary", summaryPath);
        m.put("output", out);
        Map<String, Object> spark = new LinkedHashMap<>();
        spark.put("master", sparkMaster);
        spark.put("app_id", appId);
        m.put("spark", spark);
        m.put("configuration", configuration);
        m.put("config_hash_input", canonical);
        return m;
    }

    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the run summary: " + e.getMessage(), e);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
