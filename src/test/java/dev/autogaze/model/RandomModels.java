package dev.autogaze.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autogaze.testing.Fixtures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Writes model folders of other configurations with seeded random weights (the released init, lm_head × 5). */
final class RandomModels {

    private RandomModels() {
    }

    /** Scales 112+224 (N = 245), K = 3, 2 layers, 4 heads of 48 over 2 KV heads. */
    static Path twoScales(Path dir, long seed) throws IOException {
        return write(dir, seed, "112+224", 245, 224, 192, 256, 2, 4, 2, 3);
    }

    /** A toy: scales 32+64 (N = 20) on a 64-px frame (16 vision tokens), hidden 64, K = 3, 2 layers. */
    static Path tiny(Path dir, long seed) throws IOException {
        return write(dir, seed, "32+64", 20, 64, 64, 96, 2, 4, 2, 3);
    }

    static Path write(Path dir, long seed, String scales, int n, int inputSize, int hidden, int inter, int layers,
                      int heads, int kvHeads, int k) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path released = Fixtures.autogazeSet("nvidia-b1-t16").resolve("model/config.json");
        ObjectNode root = (ObjectNode) json.readTree(released.toFile());
        root.put("scales", scales);
        root.put("num_vision_tokens_each_frame", n);
        ObjectNode gaze = (ObjectNode) root.get("gaze_model_config");
        gaze.put("input_img_size", inputSize);
        gaze.put("num_vision_tokens_each_frame", n);
        int grid = inputSize / 16;
        ((ObjectNode) gaze.get("vision_model_config")).put("hidden_dim", hidden).put("out_dim", hidden);
        ((ObjectNode) gaze.get("connector_config")).put("hidden_dim", hidden).put("num_tokens", grid * grid);
        ObjectNode dec = (ObjectNode) gaze.get("gaze_decoder_config");
        dec.put("vocab_size", n + 1).put("eos_token_id", n).put("hidden_size", hidden).put("intermediate_size", inter)
                .put("num_hidden_layers", layers).put("num_attention_heads", heads).put("num_key_value_heads", kvHeads)
                .put("head_dim", hidden / heads).put("num_multi_token_pred", k);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        AutoGazeConfig config = AutoGazeConfig.load(dir);
        Random random = new Random(seed);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = AutoGazeWeights.expectedShapes(config);
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long count = 1;
            for (long d : e.getValue()) {
                count *= d;
            }
            float[] v = new float[(int) count];
            String name = e.getKey();
            boolean norm = name.endsWith("norm.weight") || name.endsWith("layernorm.weight");
            float scale = name.endsWith("lm_head.weight") ? 0.1f : name.contains("pos_embed") ? 1f : 0.02f;
            for (int i = 0; i < v.length; i++) {
                v[i] = norm ? 1f + 0.05f * (float) random.nextGaussian() : scale * (float) random.nextGaussian();
            }
            tensors.put(name, v);
        }
        writeSafetensors(dir.resolve("model.safetensors"), tensors, shapes);
        return dir;
    }

    static void writeSafetensors(Path file, Map<String, float[]> tensors, Map<String, long[]> shapes)
            throws IOException {
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            long bytes = 4L * e.getValue().length;
            if (header.length() > 1) {
                header.append(',');
            }
            StringBuilder shape = new StringBuilder();
            for (long d : shapes.get(e.getKey())) {
                shape.append(shape.length() == 0 ? "" : ",").append(d);
            }
            header.append('"').append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":[").append(shape)
                    .append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate((int) (8 + h.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        for (float[] v : tensors.values()) {
            for (float x : v) {
                buf.putFloat(x);
            }
        }
        Files.write(file, buf.array());
    }

    /** Seeded N(0, 1) vision embeddings [B][T][tokens][hidden]. */
    static float[] visionEmbeds(AutoGazeConfig c, int batch, int frames, long seed) {
        Random random = new Random(seed);
        float[] v = new float[batch * frames * c.visionTokens() * c.decoder().hiddenSize()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
