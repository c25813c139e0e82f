package dev.autogaze.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autogaze.model.AutoGazeModel;
import dev.autogaze.model.EngineChoice;
import dev.autogaze.model.ResolutionTarget;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.readout.CellToTokenRule;
import dev.autogaze.readout.Priority;
import dev.autogaze.readout.ReadoutOptions;
import dev.autogaze.readout.VideoTokenOptions;
import dev.autogaze.video.LastClipPolicy;
import dev.autogaze.video.SamplingMode;
import dev.autogaze.video.SamplingOptions;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JobOptions as ordered JSON: the form shipped to executors (the option records are not Serializable), printed in
 * the run summary, and hashed by {@link ConfigHash}. Keys are snake_case and stable; their order is fixed here.
 */
public final class JobOptionsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JobOptionsJson() {
    }

    public static String toJson(JobOptions o) {
        try {
            return MAPPER.writeValueAsString(toMap(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write job options as JSON: " + e.getMessage(), e);
        }
    }

    public static Map<String, Object> toMap(JobOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", o.input());
        m.put("output", o.output());
        m.put("mode", o.mode().name().toLowerCase(java.util.Locale.ROOT));
        m.put("gaze_source", gazeSource(o.gazeSource()));
        m.put("gaze", gaze(o.gaze()));
        m.put("sampling", sampling(o.sampling()));
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("frame_height", o.frameHeight());
        g.put("frame_width", o.frameWidth());
        g.put("tubelet", o.tubelet());
        g.put("patch", o.patch());
        if (o.tiles()) {
            g.put("tiles", true); // left out when off, so hashes of untiled outputs stay the same
        }
        m.put("geometry", g);
        m.put("readout", readout(o.readout()));
        m.put("video_tokens", videoTokens(o.videoTokens()));
        m.put("batch_size", o.batchSize());
        m.put("decoders", o.decoders());
        m.put("partitions", o.partitions());
        m.put("videos_per_commit", o.videosPerCommit());
        m.put("emit_patches", o.emitPatches());
        m.put("keep_columns", o.keepColumns());
        m.put("video_column", o.videoColumn());
        m.put("balance", o.balance().name().toLowerCase(java.util.Locale.ROOT));
        m.put("split_clips", o.splitClips());
        return m;
    }

    static Map<String, Object> gazeSource(GazeSourceSpec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", s.kind().label());
        m.put("model_path", s.modelPath());
        m.put("threshold", s.threshold());
        m.put("engine", s.engine().label());
        m.put("cuda_lanes", s.cudaLanes());
        if (s.target() != null) {
            m.put("target", target(s.target()));
        }
        return m;
    }

    static Map<String, Object> target(ResolutionTarget t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scales", t.scales());
        m.put("patch", t.patch());
        return m;
    }

    static Map<String, Object> gaze(GazeOptions g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gazing_ratio", g.gazingRatio());
        m.put("gazing_ratio_each_frame", g.gazingRatioEachFrame());
        m.put("task_loss_requirement", g.taskLossRequirement());
        m.put("max_gaze_tokens_per_frame", g.maxGazeTokensPerFrame());
        return m;
    }

    static Map<String, Object> sampling(SamplingOptions s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", s.mode().name());
        m.put("target_fps", s.targetFps());
        m.put("frame_stride", s.frameStride());
        m.put("clip_length", s.clipLength());
        m.put("clip_stride", s.clipStride());
        m.put("max_clips_per_video", s.maxClipsPerVideo());
        m.put("last_clip_policy", s.lastClipPolicy().name());
        m.put("decode_timeout_ms", s.decodeTimeout().toMillis());
        m.put("max_frame_pixels", s.maxFramePixels());
        m.put("decode_threads", s.decodeThreads());
        m.put("max_frames_per_video", s.maxFramesPerVideo());
        return m;
    }

    static Map<String, Object> readout(ReadoutOptions r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("confidence_threshold", r.confidenceThreshold());
        m.put("max_fixations_per_frame", r.maxFixationsPerFrame());
        m.put("fixation_scale", r.fixationScale());
        m.put("dilation", r.dilation());
        m.put("max_tokens_per_frame", r.maxTokensPerFrame());
        m.put("rule", r.rule().kind().name());
        m.put("rule_min_fraction", r.rule().minFraction());
        m.put("priority", r.priority().name());
        return m;
    }

    static Map<String, Object> videoTokens(VideoTokenOptions v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("per_bin_budget", v.perBinBudget());
        m.put("global_budget", v.globalBudget());
        m.put("min_tokens_per_bin", v.minTokensPerBin());
        return m;
    }

    private static ResolutionTarget target(JsonNode t) {
        int[] scales = new int[t.get("scales").size()];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = t.get("scales").get(i).asInt();
        }
        return new ResolutionTarget(scales, t.get("patch").asInt());
    }

    public static JobOptions fromJson(String json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("job options JSON is not valid: " + e.getMessage(), e);
        }
        JsonNode gs = n.get("gaze_source");
        GazeSourceSpec spec = new GazeSourceSpec(GazeSourceSpec.Kind.parse(gs.get("kind").asText()),
                gs.get("model_path").isNull() ? null : gs.get("model_path").asText(),
                (float) gs.get("threshold").asDouble(),
                gs.hasNonNull("engine") ? EngineChoice.parse(gs.get("engine").asText(), "gaze_source.engine")
                        : EngineChoice.AUTO, gs.hasNonNull("target") ? target(gs.get("target")) : null,
                gs.hasNonNull("cuda_lanes") ? gs.get("cuda_lanes").asInt() : AutoGazeModel.DEFAULT_CUDA_LANES);
        JsonNode g = n.get("gaze");
        float[] each = null;
        if (!g.get("gazing_ratio_each_frame").isNull()) {
            JsonNode a = g.get("gazing_ratio_each_frame");
            each = new float[a.size()];
            for (int i = 0; i < each.length; i++) {
                each[i] = (float) a.get(i).asDouble();
            }
        }
        GazeOptions gaze = new GazeOptions((float) g.get("gazing_ratio").asDouble(), each,
                g.get("task_loss_requirement").isNull() ? null : (float) g.get("task_loss_requirement").asDouble(),
                g.get("max_gaze_tokens_per_frame").asInt());
        JsonNode s = n.get("sampling");
        SamplingOptions sampling = new SamplingOptions(SamplingMode.valueOf(s.get("mode").asText()),
                s.get("target_fps").asDouble(), s.get("frame_stride").asInt(), s.get("clip_length").asInt(),
                s.get("clip_stride").asInt(), s.get("max_clips_per_video").asInt(),
                LastClipPolicy.valueOf(s.get("last_clip_policy").asText()),
                Duration.ofMillis(s.get("decode_timeout_ms").asLong()), s.get("max_frame_pixels").asLong(),
                s.get("decode_threads").asInt(), s.path("max_frames_per_video").asLong(0));
        JsonNode geo = n.get("geometry");
        JsonNode r = n.get("readout");
        CellToTokenRule.Kind ruleKind = CellToTokenRule.Kind.valueOf(r.get("rule").asText());
        ReadoutOptions readout = new ReadoutOptions(r.get("confidence_threshold").asDouble(),
                r.get("max_fixations_per_frame").asInt(), r.get("fixation_scale").asDouble(), r.get("dilation").asInt(),
                r.get("max_tokens_per_frame").asInt(), new CellToTokenRule(ruleKind, r.get("rule_min_fraction").asDouble()),
                Priority.valueOf(r.get("priority").asText()));
        JsonNode v = n.get("video_tokens");
        VideoTokenOptions tokens = new VideoTokenOptions(v.get("per_bin_budget").asInt(), v.get("global_budget").asInt(),
                v.get("min_tokens_per_bin").asInt());
        return new JobOptions(n.get("input").asText(), n.get("output").asText(),
                WriteMode.valueOf(n.get("mode").asText().toUpperCase(java.util.Locale.ROOT)), spec, gaze, sampling,
                geo.get("frame_height").asInt(), geo.get("frame_width").asInt(), geo.get("tubelet").asInt(),
                geo.get("patch").asInt(), readout, tokens, n.get("batch_size").asInt(), n.get("decoders").asInt(),
                n.get("partitions").asInt(),
                n.get("videos_per_commit").asInt(), geo.path("tiles").asBoolean(false),
                n.path("emit_patches").asBoolean(false), keepColumns(n.get("keep_columns")),
                n.hasNonNull("video_column") ? n.get("video_column").asText() : null,
                n.has("balance") ? JobOptions.Balance.valueOf(n.get("balance").asText().toUpperCase(java.util.Locale.ROOT))
                        : JobOptions.Balance.CLIPS, n.has("split_clips") ? n.get("split_clips").asInt() : 0);
    }

    private static java.util.List<String> keepColumns(JsonNode a) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (a != null) {
            a.forEach(c -> out.add(c.asText()));
        }
        return out;
    }
}
