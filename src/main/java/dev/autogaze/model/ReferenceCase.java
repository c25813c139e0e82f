package dev.autogaze.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One recorded run of the official model from a fixture folder (metadata.json + case_<name>.safetensors): its
 * options, its outputs and, when stored, its per-decoder-call trace. Shared by the parity tests and
 * `autogaze fixture-check` so both read fixtures the same way.
 */
public record ReferenceCase(String name, GazeOptions options, int batch, int frames, SafetensorsFile file) {

    /** Every case listed in `dir/metadata.json`, in file order. */
    public static List<ReferenceCase> all(Path dir) {
        Path meta = dir.resolve("metadata.json");
        JsonNode root = metadata(meta);
        int batch = root.path("batch").asInt(-1);
        int frames = root.path("frames").asInt(-1);
        if (batch <= 0 || frames <= 0) {
            throw new ModelFormatException(meta + ": batch " + batch + " / frames " + frames + " missing or invalid");
        }
        List<ReferenceCase> cases = new ArrayList<>();
        for (Iterator<java.util.Map.Entry<String, JsonNode>> it = root.path("cases").fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode c = e.getValue();
            float ratio = (float) c.path("gazing_ratio").asDouble();
            JsonNode req = c.path("task_loss_requirement");
            GazeOptions options = GazeOptions.defaults().withRatio(ratio)
                    .withTaskLossRequirement(req.isNull() || req.isMissingNode() ? null : (float) req.asDouble());
            String file = c.path("file").asText("case_" + e.getKey() + ".safetensors");
            Path path = dir.resolve(file);
            if (!Files.isRegularFile(path)) {
                throw new ModelFormatException(meta + ": case " + e.getKey() + " names missing file " + path);
            }
            cases.add(new ReferenceCase(e.getKey(), options, batch, frames, SafetensorsFile.open(path)));
        }
        if (cases.isEmpty()) {
            throw new ModelFormatException(meta + ": lists no cases");
        }
        return cases;
    }

    /**
     * The resolution-adaptation target the set's cases were run with (metadata.json {@code target_scales},
     * {@code target_patch_size}), or null for a set run without one.
     */
    public static ResolutionTarget target(Path dir) {
        Path meta = dir.resolve("metadata.json");
        JsonNode root = metadata(meta);
        JsonNode scales = root.path("target_scales");
        JsonNode patch = root.path("target_patch_size");
        if (scales.isMissingNode() || scales.isNull()) {
            return null;
        }
        if (!scales.isArray() || !patch.canConvertToInt()) {
            throw new ModelFormatException(meta + ": target_scales " + scales + " / target_patch_size " + patch
                    + " must be a list of ints and an int");
        }
        int[] values = new int[scales.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = scales.get(i).asInt();
        }
        try {
            return new ResolutionTarget(values, patch.asInt());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(meta + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode metadata(Path meta) {
        try {
            return new ObjectMapper().readTree(meta.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(meta + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The set's raw input clips (inputs.safetensors `raw_video_u8`, [T,H,W,3] for one clip or [B,T,H,W,3]). */
    public static List<dev.autogaze.video.RgbClip> rawClips(Path dir) {
        SafetensorsFile inputs = SafetensorsFile.open(dir.resolve("inputs.safetensors"));
        long[] shape = inputs.info("raw_video_u8").shape();
        if (shape.length != 4 && shape.length != 5) {
            throw new ModelFormatException(inputs.path() + ": raw_video_u8 has shape " + java.util.Arrays.toString(shape)
                    + ", expected [T,H,W,3] or [B,T,H,W,3]");
        }
        int o = shape.length - 4;
        int batch = o == 0 ? 1 : (int) shape[0];
        int frames = (int) shape[o];
        int height = (int) shape[o + 1];
        int width = (int) shape[o + 2];
        byte[] all = inputs.bytes("raw_video_u8");
        int frameBytes = height * width * 3;
        List<dev.autogaze.video.RgbClip> clips = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            byte[][] f = new byte[frames][];
            for (int t = 0; t < frames; t++) {
                f[t] = java.util.Arrays.copyOfRange(all, (b * frames + t) * frameBytes, (b * frames + t + 1) * frameBytes);
            }
            clips.add(new dev.autogaze.video.RgbClip(width, height, f));
        }
        return clips;
    }

    public static ReferenceCase named(Path dir, String name) {
        return all(dir).stream().filter(c -> c.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no case " + name + " in " + dir));
    }

    /** [B][T][visionTokens][hidden] connector output as recorded. */
    public float[] visionEmbeds() {
        return file.floats("vision_embeds");
    }

    public long[][] gazingPos() {
        return rows(file.longs("gazing_pos"));
    }

    public boolean[][] padded() {
        long[][] p = rows(file.longs("if_padded_gazing"));
        boolean[][] out = new boolean[p.length][];
        for (int b = 0; b < p.length; b++) {
            out[b] = new boolean[p[b].length];
            for (int i = 0; i < p[b].length; i++) {
                out[b][i] = p[b][i] != 0;
            }
        }
        return out;
    }

    public int[] numGazingEachFrame() {
        long[] n = file.longs("num_gazing_each_frame");
        int[] out = new int[n.length];
        for (int i = 0; i < n.length; i++) {
            out[i] = Math.toIntExact(n[i]);
        }
        return out;
    }

    /** gazing_mask_s flattened [B][T][tokensOfScale]. */
    public float[] mask(int scale) {
        return file.floats("gazing_mask_" + scale);
    }

    public boolean hasTrace() {
        return file.has("call0_position_ids");
    }

    /** Number of traced decoder calls (0 when the case has no trace). */
    public int tracedCalls() {
        int n = 0;
        while (file.has("call" + n + "_position_ids")) {
            n++;
        }
        return n;
    }

    public boolean isDecodeCall(int call) {
        return file.has("call" + call + "_input_ids");
    }

    public long[] callLongs(int call, String what) {
        return file.longs("call" + call + "_" + what);
    }

    public float[] callFloats(int call, String what) {
        return file.floats("call" + call + "_" + what);
    }

    private long[][] rows(long[] flat) {
        int len = flat.length / batch;
        long[][] out = new long[batch][len];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(flat, b * len, out[b], 0, len);
        }
        return out;
    }

    @Override
    public String toString() {
        return "ReferenceCase[" + name + ", " + options + ", B=" + batch + ", T=" + frames + "]";
    }
}
