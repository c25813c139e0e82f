package dev.autogaze.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of an AutoGaze model folder (config.json + model.safetensors) as f32 arrays, checked against the
 * names and shapes the config implies. Strict by default: a missing, extra or misshaped tensor is an error; the
 * permissive mode loads what matches and lists the rest in {@link #problems()}.
 */
public final class AutoGazeWeights {

    public static final String VISION = "gazing_model.vision_model.";
    public static final String CONNECTOR = "gazing_model.connector.";
    public static final String DECODER = "gazing_model.gaze_decoder.";

    private final AutoGazeConfig config;
    private final Map<String, float[]> tensors;
    private final Map<String, long[]> shapes;
    private final List<String> problems;

    private AutoGazeWeights(AutoGazeConfig config, Map<String, float[]> tensors, Map<String, long[]> shapes,
                            List<String> problems) {
        this.config = config;
        this.tensors = tensors;
        this.shapes = shapes;
        this.problems = problems;
    }

    /** Loads `dir/config.json` and `dir/model.safetensors`, strictly. */
    public static AutoGazeWeights load(Path dir) {
        return load(dir, false);
    }

    public static AutoGazeWeights load(Path dir, boolean permissive) {
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException("model folder " + dir + " does not exist");
        }
        AutoGazeConfig config = AutoGazeConfig.load(dir);
        Path file = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("model folder " + dir + " has no model.safetensors");
        }
        return load(config, SafetensorsFile.open(file), permissive);
    }

    public static AutoGazeWeights load(AutoGazeConfig config, SafetensorsFile file, boolean permissive) {
        Map<String, long[]> expected = expectedShapes(config);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            String name = e.getKey();
            if (!file.has(name)) {
                problems.add("tensor " + name + ": missing (expected " + Arrays.toString(e.getValue()) + ")");
                continue;
            }
            long[] found = file.info(name).shape();
            if (!Arrays.equals(found, e.getValue())) {
                problems.add("tensor " + name + ": expected " + Arrays.toString(e.getValue()) + ", found "
                        + Arrays.toString(found));
                continue;
            }
            tensors.put(name, file.floats(name));
            shapes.put(name, found);
        }
        for (String name : file.tensors().keySet()) {
            if (!expected.containsKey(name)) {
                problems.add("tensor " + name + ": not part of this configuration");
            }
        }
        if (!problems.isEmpty() && !permissive) {
            throw new ModelFormatException(file.path() + ": " + String.join("; ", problems));
        }
        return new AutoGazeWeights(config, Collections.unmodifiableMap(tensors), shapes,
                Collections.unmodifiableList(problems));
    }

    /** Every tensor name and shape the config implies, in checkpoint order. */
    public static Map<String, long[]> expectedShapes(AutoGazeConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        AutoGazeConfig.Vision v = c.vision();
        AutoGazeConfig.Decoder d = c.decoder();
        int k = v.kernelSize();
        int kt = v.trunkTemporalKernel();
        int ks = v.trunkSpatialKernel();
        m.put(VISION + "temporal_conv.weight", new long[] {v.hiddenDim(), 3, v.temporalPatchSize(), k, k});
        m.put(VISION + "temporal_conv.bias", new long[] {v.hiddenDim()});
        m.put(VISION + "norm.weight", new long[] {v.hiddenDim()});
        m.put(VISION + "norm.bias", new long[] {v.hiddenDim()});
        for (int b = 0; b < v.depth(); b++) {
            m.put(VISION + "blocks." + b + ".conv3d.weight", new long[] {v.hiddenDim(), v.hiddenDim(), kt, ks, ks});
            m.put(VISION + "blocks." + b + ".conv3d.bias", new long[] {v.hiddenDim()});
        }
        m.put(VISION + "out_proj.weight", new long[] {v.outDim(), v.hiddenDim(), 1, 1, 1});
        m.put(VISION + "out_proj.bias", new long[] {v.outDim()});
        m.put(CONNECTOR + "pos_embed", new long[] {v.connectorTokens(), v.connectorHiddenDim()});
        String model = DECODER + "model.";
        int h = d.hiddenSize();
        int kv = d.kvHeads() * d.headDim();
        m.put(model + "embed_tokens.weight", new long[] {d.vocabSize(), h});
        for (int l = 0; l < d.layers(); l++) {
            String p = model + "layers." + l + ".";
            m.put(p + "self_attn.q_proj.weight", new long[] {(long) d.heads() * d.headDim(), h});
            m.put(p + "self_attn.k_proj.weight", new long[] {kv, h});
            m.put(p + "self_attn.v_proj.weight", new long[] {kv, h});
            m.put(p + "self_attn.o_proj.weight", new long[] {h, (long) d.heads() * d.headDim()});
            m.put(p + "mlp.gate_proj.weight", new long[] {d.intermediateSize(), h});
            m.put(p + "mlp.up_proj.weight", new long[] {d.intermediateSize(), h});
            m.put(p + "mlp.down_proj.weight", new long[] {h, d.intermediateSize()});
            m.put(p + "input_layernorm.weight", new long[] {h});
            m.put(p + "post_attention_layernorm.weight", new long[] {h});
        }
        m.put(model + "norm.weight", new long[] {h});
        m.put(DECODER + "lm_head.weight", new long[] {(long) d.multiTokenHeads() * d.vocabSize(), h});
        m.put(DECODER + "task_loss_prediction_head.weight", new long[] {d.multiTokenHeads(), h});
        return m;
    }

    public AutoGazeConfig config() {
        return config;
    }

    /** A tensor as row-major f32 (shared, do not modify). */
    public float[] tensor(String name) {
        float[] t = tensors.get(name);
        if (t == null) {
            throw new ModelFormatException("tensor " + name + " is not loaded" + (problems.isEmpty() ? "" : " (" + problems + ")"));
        }
        return t;
    }

    public long[] shape(String name) {
        long[] s = shapes.get(name);
        if (s == null) {
            throw new ModelFormatException("tensor " + name + " is not loaded");
        }
        return s.clone();
    }

    /** What the permissive mode let through: missing, extra or misshaped tensors. Empty when strict. */
    public List<String> problems() {
        return problems;
    }

    public long parameterCount() {
        return tensors.values().stream().mapToLong(t -> t.length).sum();
    }
}
