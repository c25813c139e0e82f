package dev.autogaze.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autogaze.readout.ScaleLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything structural about an AutoGaze model, read from its Hugging Face config.json. Sizes are data: a
 * config with other scales, heads or layer counts loads the same way, and inconsistent numbers are rejected
 * here, naming the field, before any weight is read.
 */
public record AutoGazeConfig(ScaleLayout layout, int inputImageSize, Vision vision, Decoder decoder, String attnMode) {

    /** The frame-causal conv encoder ("ShallowVideoConvNet") and connector. */
    public record Vision(int hiddenDim, int outDim, int depth, int kernelSize, int temporalPatchSize,
                         int trunkTemporalKernel, int trunkSpatialKernel, int connectorHiddenDim, int connectorTokens) {
    }

    /** llama3 RoPE scaling; null in Decoder when the config has none (plain RoPE). */
    public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                              int originalMaxPositionEmbeddings) {
    }

    /** The LLaMA gaze decoder with K multi-token heads. */
    public record Decoder(int vocabSize, int hiddenSize, int intermediateSize, int layers, int heads, int kvHeads,
                          int headDim, float rmsNormEps, double ropeTheta, RopeScaling ropeScaling, int eosTokenId,
                          int multiTokenHeads) {
    }

    public AutoGazeConfig {
        String where = "config.json: ";
        if (inputImageSize != layout.frameSize()) {
            throw new ModelFormatException(where + "gaze_model_config.input_img_size " + inputImageSize
                    + " differs from the largest scale " + layout.frameSize());
        }
        if (inputImageSize % vision.kernelSize() != 0) {
            throw new ModelFormatException(where + "input_img_size " + inputImageSize
                    + " is not divisible by vision kernel_size " + vision.kernelSize());
        }
        if (vision.temporalPatchSize() != 1) {
            throw new ModelFormatException(where + "vision_model_config.temporal_patch_size " + vision.temporalPatchSize()
                    + " is not supported (only 1, as released)");
        }
        int grid = inputImageSize / vision.kernelSize();
        if (vision.connectorTokens() != grid * grid) {
            throw new ModelFormatException(where + "connector_config.num_tokens " + vision.connectorTokens()
                    + " differs from the vision grid " + grid + "x" + grid);
        }
        if (vision.outDim() != decoder.hiddenSize() || vision.connectorHiddenDim() != decoder.hiddenSize()) {
            throw new ModelFormatException(where + "vision out_dim " + vision.outDim() + " / connector hidden_dim "
                    + vision.connectorHiddenDim() + " must equal decoder hidden_size " + decoder.hiddenSize());
        }
        if (decoder.vocabSize() != layout.tokensPerFrame() + 1) {
            throw new ModelFormatException(where + "gaze_decoder_config.vocab_size " + decoder.vocabSize()
                    + " must be num_vision_tokens_each_frame + 1 = " + (layout.tokensPerFrame() + 1));
        }
        if (decoder.eosTokenId() != layout.tokensPerFrame()) {
            throw new ModelFormatException(where + "gaze_decoder_config.eos_token_id " + decoder.eosTokenId()
                    + " must be num_vision_tokens_each_frame " + layout.tokensPerFrame());
        }
        if (decoder.heads() * decoder.headDim() != decoder.hiddenSize()) {
            throw new ModelFormatException(where + "num_attention_heads " + decoder.heads() + " x head_dim "
                    + decoder.headDim() + " != hidden_size " + decoder.hiddenSize());
        }
        if (decoder.kvHeads() <= 0 || decoder.heads() % decoder.kvHeads() != 0) {
            throw new ModelFormatException(where + "num_key_value_heads " + decoder.kvHeads()
                    + " must divide num_attention_heads " + decoder.heads());
        }
        if (decoder.headDim() % 2 != 0) {
            throw new ModelFormatException(where + "head_dim " + decoder.headDim() + " must be even for RoPE");
        }
        if (decoder.multiTokenHeads() <= 0 || decoder.layers() <= 0 || vision.depth() < 0) {
            throw new ModelFormatException(where + "num_multi_token_pred " + decoder.multiTokenHeads()
                    + ", num_hidden_layers " + decoder.layers() + " and depth " + vision.depth() + " must be positive");
        }
    }

    /** Tokens per frame of the vision grid (196 for the released model). */
    public int visionTokens() {
        return vision.connectorTokens();
    }

    /** Side of the vision grid (14). */
    public int visionGrid() {
        return inputImageSize / vision.kernelSize();
    }

    /** The per-frame vocabulary N (265); EOS/pad is N. */
    public int tokensPerFrame() {
        return layout.tokensPerFrame();
    }

    /** Reads `dir/config.json`. */
    public static AutoGazeConfig load(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("config.json") : dirOrFile;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read config: " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /** config.json's bytes ({@code where} names them in errors); any defect is a one-line ModelFormatException. */
    public static AutoGazeConfig parse(byte[] json, String where) {
        return parse(JsonText.read(json, where));
    }

    public static AutoGazeConfig parse(JsonNode root) {
        Fields top = new Fields(root, "");
        Fields gaze = top.object("gaze_model_config");
        Fields vision = gaze.object("vision_model_config");
        Fields connector = gaze.object("connector_config");
        Fields dec = gaze.object("gaze_decoder_config");

        int n = top.integer("num_vision_tokens_each_frame");
        int kernel = vision.integer("kernel_size");
        ScaleLayout layout;
        try {
            layout = ScaleLayout.parse(top.text("scales"), kernel, n);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("config.json: scales / num_vision_tokens_each_frame: " + e.getMessage(), e);
        }
        int inputSize = gaze.integer("input_img_size");
        int grid = inputSize / kernel;
        Vision v = new Vision(vision.integer("hidden_dim"), vision.integer("out_dim"), vision.integer("depth"), kernel,
                vision.integer("temporal_patch_size"), vision.integer("trunk_temporal_kernel_size"),
                vision.integer("trunk_spatial_kernel_size"), connector.integer("hidden_dim"),
                connector.has("num_tokens") ? connector.integer("num_tokens") : grid * grid);

        int hidden = dec.integer("hidden_size");
        int heads = dec.integer("num_attention_heads");
        RopeScaling rope = null;
        if (dec.has("rope_scaling")) {
            Fields rs = dec.object("rope_scaling");
            String type = rs.has("rope_type") ? rs.text("rope_type") : rs.text("type");
            if (!type.equals("llama3")) {
                throw new ModelFormatException("config.json: gaze_decoder_config.rope_scaling.rope_type '" + type
                        + "' is not supported (llama3 or none)");
            }
            rope = new RopeScaling(type, rs.number("factor"), rs.number("low_freq_factor"),
                    rs.number("high_freq_factor"), rs.integer("original_max_position_embeddings"));
        }
        Decoder d = new Decoder(dec.integer("vocab_size"), hidden, dec.integer("intermediate_size"),
                dec.integer("num_hidden_layers"), heads,
                dec.has("num_key_value_heads") ? dec.integer("num_key_value_heads") : heads,
                dec.has("head_dim") ? dec.integer("head_dim") : hidden / heads,
                (float) dec.number("rms_norm_eps"), dec.number("rope_theta"), rope, dec.integer("eos_token_id"),
                dec.has("num_multi_token_pred") ? dec.integer("num_multi_token_pred") : 1);
        String attn = top.has("attn_mode") ? top.text("attn_mode") : gaze.has("attn_mode") ? gaze.text("attn_mode") : "sdpa";
        return new AutoGazeConfig(layout, inputSize, v, d, attn);
    }

    /** Typed access to a JSON object that names the full path of a missing or mistyped field. */
    private record Fields(JsonNode node, String path) {

        boolean has(String key) {
            JsonNode v = node.get(key);
            return v != null && !v.isNull();
        }

        private JsonNode get(String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                throw new ModelFormatException("config.json: " + path + key + " is missing");
            }
            return v;
        }

        Fields object(String key) {
            JsonNode v = get(key);
            if (!v.isObject()) {
                throw new ModelFormatException("config.json: " + path + key + " must be an object, found " + shown(v));
            }
            return new Fields(v, path + key + ".");
        }

        int integer(String key) {
            JsonNode v = get(key);
            boolean whole = v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
            if (!whole || !v.canConvertToInt() || Math.abs(v.asDouble()) > Integer.MAX_VALUE) {
                throw new ModelFormatException("config.json: " + path + key + " must be an integer, found " + shown(v));
            }
            return v.asInt();
        }

        double number(String key) {
            JsonNode v = get(key);
            if (!v.isNumber()) {
                throw new ModelFormatException("config.json: " + path + key + " must be a number, found " + shown(v));
            }
            return v.asDouble();
        }

        private static String shown(JsonNode v) {
            return JsonText.printable(v.toString());
        }

        String text(String key) {
            JsonNode v = get(key);
            if (!v.isTextual()) {
                throw new ModelFormatException("config.json: " + path + key + " must be a string, found " + shown(v));
            }
            return v.asText();
        }
    }
}
