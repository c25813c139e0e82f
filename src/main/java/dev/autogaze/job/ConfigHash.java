package dev.autogaze.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autogaze.io.OutputSchema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The identity of a run's results: a hash of everything that changes a row (schema version, gaze source and model
 * files, gaze, sampling, geometry, readout and token options, patch export) and nothing that does not (paths,
 * mode, partitions, batch size, cuda lanes and decoding threads: every clip's row is the one it gets gazed alone,
 * whatever shares its batch; engine: jvm, cuda and nd4j give the same tokens on every fixture case, as the vector
 * and scalar kernels do).
 * Stored in every row; `resume` skips videos that already have rows with it.
 */
public final class ConfigHash {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConfigHash() {
    }

    /** 16 hex digits of SHA-256 over {@link #canonical}. */
    public static String of(JobOptions o) {
        return HexFormat.of().formatHex(sha256(canonical(o).getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 8);
    }

    /** The JSON the hash is taken over (printed in the summary so a hash can be explained). */
    public static String canonical(JobOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema_version", OutputSchema.VERSION);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("kind", o.gazeSource().kind().label());
        if (o.gazeSource().kind() == GazeSourceSpec.Kind.PATCH_DIFF) {
            source.put("threshold", o.gazeSource().threshold());
        } else {
            source.put("model_files", modelFingerprint(GazeSources.modelDirectory(o.gazeSource())));
            if (o.gazeSource().target() != null) {
                // left out without a target, so hashes of outputs made before targets existed stay the same
                source.put("target", JobOptionsJson.target(o.gazeSource().target()));
            }
        }
        m.put("gaze_source", source);
        m.put("gaze", JobOptionsJson.gaze(o.gaze()));
        Map<String, Object> sampling = JobOptionsJson.sampling(o.sampling());
        sampling.remove("decode_threads");
        if (o.sampling().maxFramesPerVideo() == 0) {
            // a cap added after outputs existed: left out while unset, so their hash stays the same
            sampling.remove("max_frames_per_video");
        }
        m.put("sampling", sampling);
        m.put("geometry", JobOptionsJson.toMap(o).get("geometry"));
        m.put("readout", JobOptionsJson.readout(o.readout()));
        m.put("video_tokens", JobOptionsJson.videoTokens(o.videoTokens()));
        m.put("emit_patches", o.emitPatches());
        if (!o.keepColumns().isEmpty()) {
            // pass-through columns add columns to every row; left out when none, so other hashes stay the same
            m.put("keep_columns", o.keepColumns());
        }
        try {
            return MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the configuration as JSON: " + e.getMessage(), e);
        }
    }

    /** SHA-256 (hex) of a model directory's *.json and *.safetensors by name and content, wherever it lies. */
    static String modelFingerprint(Path model) {
        MessageDigest d = digest();
        try (Stream<Path> files = Files.list(model)) {
            for (Path p : files.filter(f -> Files.isRegularFile(f) && (f.toString().endsWith(".json")
                    || f.toString().endsWith(".safetensors"))).sorted().toList()) {
                d.update(model.relativize(p).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(p)) {
                    byte[] buf = new byte[1 << 16];
                    for (int r = in.read(buf); r > 0; r = in.read(buf)) {
                        d.update(buf, 0, r);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--model " + model + " cannot be read: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static byte[] sha256(byte[] data) {
        return digest().digest(data);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
