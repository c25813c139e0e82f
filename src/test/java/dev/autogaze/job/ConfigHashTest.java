package dev.autogaze.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * config_hash is a contract: `--mode resume` and every reader that groups rows by it rely on it. It is pinned by the
 * committed sample output (the default configuration), and every option the job takes is classified: an option that
 * changes a row changes the hash, one that does not (where, how and on what engine rows are computed) leaves it.
 */
class ConfigHashTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE_SUMMARY = Path.of("src/test/python/data/job-output/summary.json");

    /** Options that never change a row: paths, write mode, execution and engine (rows are equal across them). */
    private static final Set<String> NOT_HASHED = Set.of("input", "output", "mode", "gaze_source.engine",
            "gaze_source.cuda_lanes",
            "gaze_source.model_path", "sampling.decode_threads", "batch_size", "decoders", "partitions",
            "videos_per_commit", "balance", "split_clips", "video_column");

    @TempDir
    static Path tmp;

    @Test
    void theCommittedSampleOutputPinsTheHashOfTheDefaultConfiguration() throws Exception {
        JsonNode summary = JSON.readTree(SAMPLE_SUMMARY.toFile());
        JobOptions o = JobOptionsJson.fromJson(summary.get("configuration").toString());
        // A change to these three lines changes every existing output's hash: resume would then redo everything.
        assertEquals(summary.get("config_hash_input").asText(), ConfigHash.canonical(o));
        assertEquals(summary.get("config_hash").asText(), ConfigHash.of(o));
        String pinned = summary.get("config_hash").asText();
        assertEquals(pinned, ConfigHash.of(JobOptions.defaults("/any/videos", "/any/out")),
                "the sample is a default run, so this is the hash of every default run");
        // the docs' examples are default runs too
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).toList()) {
                Matcher m = Pattern.compile("\\b[0-9a-f]{16}\\b").matcher(Files.readString(doc));
                while (m.find()) {
                    assertEquals(pinned, m.group(), doc + " shows an outdated config_hash");
                }
            }
        }
    }

    /** A model folder of fake files (the hash reads names and bytes; nothing is loaded). */
    private static Path model(String name, byte weight) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("config.json"), "{\"scales\": \"32+64+112+224\"}");
        Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, weight});
        return dir;
    }

    /** One option's test: {@code with} applied to both sides, then {@code change} to one side only. */
    private record Variation(Map<String, Object> with, Map<String, Object> change) {
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Variation change(Object... kv) {
        return new Variation(Map.of(), map(kv));
    }

    /** Every option of {@link JobOptionsJson} (its leaf paths) and a valid change of it. */
    private static Map<String, Variation> variations() throws Exception {
        Map<String, Object> autogaze = map("gaze_source.kind", "autogaze",
                "gaze_source.model_path", model("a", (byte) 3).toString(), "gaze_source.threshold", 0.0);
        float[] each = new float[16];
        java.util.Arrays.fill(each, 0.5f);
        Map<String, Variation> v = new LinkedHashMap<>();
        v.put("input", change("input", "/elsewhere"));
        v.put("output", change("output", "/other-out"));
        v.put("mode", change("mode", "resume"));
        v.put("gaze_source.kind", change("gaze_source.kind", "autogaze",
                "gaze_source.model_path", model("k", (byte) 3).toString(), "gaze_source.threshold", 0.0));
        // the model is identified by its files' names and bytes, not by where they lie
        v.put("gaze_source.model_path", new Variation(autogaze,
                map("gaze_source.model_path", model("copy-elsewhere", (byte) 3).toString())));
        v.put("gaze_source.threshold", change("gaze_source.threshold", 9.0));
        v.put("gaze_source.engine", new Variation(autogaze, map("gaze_source.engine", "cuda")));
        v.put("gaze_source.cuda_lanes", new Variation(autogaze, map("gaze_source.cuda_lanes", 3)));
        v.put("gaze.gazing_ratio", change("gaze.gazing_ratio", 0.5));
        v.put("gaze.gazing_ratio_each_frame", change("gaze.gazing_ratio_each_frame", each));
        v.put("gaze.task_loss_requirement", new Variation(autogaze, map("gaze.task_loss_requirement", 0.7)));
        v.put("gaze.max_gaze_tokens_per_frame", change("gaze.max_gaze_tokens_per_frame", 40));
        v.put("sampling.mode", change("sampling.mode", "STRIDE"));
        v.put("sampling.target_fps", new Variation(map("sampling.mode", "TARGET_FPS", "sampling.target_fps", 2.0),
                map("sampling.target_fps", 5.0)));
        v.put("sampling.frame_stride", new Variation(map("sampling.mode", "STRIDE", "sampling.frame_stride", 2),
                map("sampling.frame_stride", 3)));
        v.put("sampling.clip_length", change("sampling.clip_length", 8));
        v.put("sampling.clip_stride", change("sampling.clip_stride", 8));
        v.put("sampling.max_clips_per_video", change("sampling.max_clips_per_video", 3));
        v.put("sampling.last_clip_policy", change("sampling.last_clip_policy", "DROP"));
        v.put("sampling.decode_timeout_ms", change("sampling.decode_timeout_ms", 60_000));
        v.put("sampling.max_frame_pixels", change("sampling.max_frame_pixels", 1_000_000));
        v.put("sampling.decode_threads", change("sampling.decode_threads", 4));
        v.put("sampling.max_frames_per_video", change("sampling.max_frames_per_video", 5000));
        v.put("geometry.frame_height", change("geometry.frame_height", 448));
        v.put("geometry.frame_width", change("geometry.frame_width", 320));
        v.put("geometry.tubelet", change("geometry.tubelet", 4));
        v.put("geometry.patch", change("geometry.patch", 32));
        v.put("readout.confidence_threshold", change("readout.confidence_threshold", 0.5));
        v.put("readout.max_fixations_per_frame", change("readout.max_fixations_per_frame", 3));
        v.put("readout.fixation_scale", change("readout.fixation_scale", 1.5));
        v.put("readout.dilation", change("readout.dilation", 1));
        v.put("readout.max_tokens_per_frame", change("readout.max_tokens_per_frame", 10));
        v.put("readout.rule", change("readout.rule", "CENTER"));
        v.put("readout.rule_min_fraction", new Variation(map("readout.rule", "MIN_FRACTION",
                "readout.rule_min_fraction", 0.25), map("readout.rule_min_fraction", 0.5)));
        v.put("readout.priority", change("readout.priority", "CONFIDENCE"));
        v.put("video_tokens.per_bin_budget", change("video_tokens.per_bin_budget", 50));
        v.put("video_tokens.global_budget", change("video_tokens.global_budget", 100));
        v.put("video_tokens.min_tokens_per_bin", change("video_tokens.min_tokens_per_bin", 2));
        v.put("batch_size", change("batch_size", 16));
        v.put("decoders", change("decoders", 3));
        v.put("partitions", change("partitions", 9));
        v.put("videos_per_commit", change("videos_per_commit", 3));
        v.put("emit_patches", change("emit_patches", true)); // the patches column changes
        v.put("keep_columns", change("keep_columns", List.of("caption"))); // a pass-through column more
        v.put("balance", change("balance", "videos"));
        v.put("split_clips", change("split_clips", -1));
        v.put("video_column", change("video_column", "video.bytes"));
        return v;
    }

    private static List<String> leaves(JsonNode node, String prefix) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject()) {
                out.addAll(leaves(e.getValue(), path));
            } else {
                out.add(path);
            }
        }
        return out;
    }

    private static JobOptions apply(JobOptions base, Map<String, Object> edits) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(JobOptionsJson.toJson(base));
        for (Map.Entry<String, Object> e : edits.entrySet()) {
            String[] path = e.getKey().split("\\.");
            ObjectNode parent = tree;
            for (int i = 0; i < path.length - 1; i++) {
                parent = (ObjectNode) parent.get(path[i]);
            }
            assertTrue(parent.has(path[path.length - 1]), "no option " + e.getKey());
            parent.set(path[path.length - 1], JSON.valueToTree(e.getValue()));
        }
        return JobOptionsJson.fromJson(JSON.writeValueAsString(tree));
    }

    @Test
    void everyOptionThatChangesARowChangesTheHashAndNoOtherDoes() throws Exception {
        JobOptions base = JobOptions.defaults("/videos", "/out");
        Map<String, Variation> variations = variations();
        // a new option fails here until it is classified (and given a change) above
        assertEquals(new TreeSet<>(leaves(JSON.readTree(JobOptionsJson.toJson(base)), "")),
                new TreeSet<>(variations.keySet()));
        for (Map.Entry<String, Variation> e : variations.entrySet()) {
            JobOptions a = apply(base, e.getValue().with());
            Map<String, Object> both = new LinkedHashMap<>(e.getValue().with());
            both.putAll(e.getValue().change());
            JobOptions b = apply(base, both);
            assertNotEquals(JobOptionsJson.toJson(a), JobOptionsJson.toJson(b), e.getKey() + ": the change is real");
            if (NOT_HASHED.contains(e.getKey())) {
                assertEquals(ConfigHash.of(a), ConfigHash.of(b), e.getKey() + " does not change a row");
            } else {
                assertNotEquals(ConfigHash.of(a), ConfigHash.of(b), e.getKey() + " changes rows");
                assertNotEquals(ConfigHash.canonical(a), ConfigHash.canonical(b), e.getKey());
            }
        }
        assertFalse(ConfigHash.canonical(base).contains("batch"), ConfigHash.canonical(base));
    }

    @Test
    void theModelIsIdentifiedByItsFilesWhereverTheyLie() throws Exception {
        JobOptions base = JobOptions.defaults("/videos", "/out");
        Path a = model("same-a", (byte) 3);
        Path b = model("same-b", (byte) 3);
        Path other = model("other", (byte) 4);
        // the same files as a Hugging Face cache root (hub/models--nvidia--AutoGaze/snapshots/<rev>/)
        Path hub = tmp.resolve("hf");
        Path snapshot = Files.createDirectories(hub.resolve("hub/models--nvidia--AutoGaze/snapshots/0123abc"));
        for (String f : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(a.resolve(f), snapshot.resolve(f));
        }
        String h = ConfigHash.of(base.withGazeSource(GazeSourceSpec.autogaze(a.toString())));
        assertEquals(h, ConfigHash.of(base.withGazeSource(GazeSourceSpec.autogaze(b.toString()))));
        assertEquals(h, ConfigHash.of(base.withGazeSource(GazeSourceSpec.autogaze(hub.toString()))));
        assertNotEquals(h, ConfigHash.of(base.withGazeSource(GazeSourceSpec.autogaze(other.toString()))),
                "one byte of weights differs");
        Files.writeString(b.resolve("preprocessor_config.json"), "{}");
        assertNotEquals(h, ConfigHash.of(base.withGazeSource(GazeSourceSpec.autogaze(b.toString()))),
                "a processor config beside the weights is part of the model");
        Files.writeString(a.resolve("README.md"), "notes");
        assertEquals(h, ConfigHash.of(base.withGazeSource(GazeSourceSpec.autogaze(a.toString()))),
                "files the model does not read are not");
    }
}
