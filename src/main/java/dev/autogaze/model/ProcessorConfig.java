package dev.autogaze.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The image-processor settings of an AutoGaze model folder (preprocessor_config.json); the defaults are the released
 * file's values, so a folder without one behaves like nvidia/AutoGaze. Only what changes pixel values is kept.
 *
 * @param shortestEdge  resize the shorter side to this, keeping the aspect ratio (0 when a fixed size is given)
 * @param height        fixed output height (0 with shortestEdge)
 * @param width         fixed output width (0 with shortestEdge)
 * @param doResize      false leaves the frame size as it is
 * @param rescaleFactor multiplier of the uint8 values, applied in f64 (1/127.5 released)
 * @param offset        subtract 1 after rescaling (maps [0, 2] to [-1, 1])
 * @param doNormalize   subtract {@code mean} and divide by {@code std} per channel, in f32
 * @param mean          per-channel means R, G, B
 * @param std           per-channel standard deviations R, G, B
 */
public record ProcessorConfig(int shortestEdge, int height, int width, boolean doResize, double rescaleFactor,
                              boolean offset, boolean doNormalize, Rgb mean, Rgb std) {

    /** Three per-channel values, cast to f32 as the processor does before using them. */
    public record Rgb(float r, float g, float b) {
        public float get(int channel) {
            return switch (channel) {
                case 0 -> r;
                case 1 -> g;
                case 2 -> b;
                default -> throw new IllegalArgumentException("channel " + channel + " is not 0, 1 or 2");
            };
        }
    }

    public static final String FILE_NAME = "preprocessor_config.json";

    public ProcessorConfig {
        if (doResize) {
            boolean edge = shortestEdge > 0 && height == 0 && width == 0;
            boolean fixed = shortestEdge == 0 && height > 0 && width > 0;
            if (!edge && !fixed) {
                throw new IllegalArgumentException("processor size: need shortest_edge > 0 or height and width > 0,"
                        + " got shortest_edge=" + shortestEdge + " height=" + height + " width=" + width);
            }
        }
        if (!(rescaleFactor > 0) || !Double.isFinite(rescaleFactor)) {
            throw new IllegalArgumentException("rescale_factor " + rescaleFactor + " must be positive and finite");
        }
        for (int c = 0; c < 3; c++) {
            if (!(std.get(c) > 0) || !Float.isFinite(std.get(c)) || !Float.isFinite(mean.get(c))) {
                throw new IllegalArgumentException("image_std " + std + " must be positive and image_mean " + mean
                        + " finite");
            }
        }
    }

    /** The released nvidia/AutoGaze processor: shortest edge 224, 1/127.5 with offset, ImageNet mean/std. */
    public static ProcessorConfig defaults() {
        return new ProcessorConfig(224, 0, 0, true, 1 / 127.5, true, true,
                new Rgb(0.485f, 0.456f, 0.406f), new Rgb(0.229f, 0.224f, 0.225f));
    }

    public ProcessorConfig withShortestEdge(int edge) {
        return new ProcessorConfig(edge, 0, 0, true, rescaleFactor, offset, doNormalize, mean, std);
    }

    /** Squash every frame to exactly {@code h x w} (the processor's {height, width} size form). */
    public ProcessorConfig withFixedSize(int h, int w) {
        return new ProcessorConfig(0, h, w, true, rescaleFactor, offset, doNormalize, mean, std);
    }

    /** Output {height, width} for a {@code height x width} frame. */
    public int[] outputSize(int inHeight, int inWidth) {
        if (!doResize) {
            return new int[] {inHeight, inWidth};
        }
        if (shortestEdge == 0) {
            return new int[] {height, width};
        }
        int shorter = Math.min(inHeight, inWidth);
        int longer = Math.max(inHeight, inWidth);
        // Python int(s * long / short): an exact int product, a correctly rounded division, then truncation.
        int newLong = (int) ((double) ((long) shortestEdge * longer) / shorter);
        return inHeight <= inWidth ? new int[] {shortestEdge, newLong} : new int[] {newLong, shortestEdge};
    }

    /** `dir/preprocessor_config.json` when present, else {@link #defaults()}. */
    public static ProcessorConfig loadOrDefaults(Path modelDir) {
        Path file = modelDir.resolve(FILE_NAME);
        return Files.isRegularFile(file) ? load(file) : defaults();
    }

    public static ProcessorConfig load(Path file) {
        JsonNode root;
        try {
            root = JsonText.read(java.nio.file.Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** Missing keys take the released values; unsupported settings are errors naming the key. */
    public static ProcessorConfig parse(JsonNode root) {
        ProcessorConfig d = defaults();
        if (root.path("do_center_crop").asBoolean(false)) {
            throw new IllegalArgumentException("do_center_crop=true is not supported");
        }
        if (root.has("resample") && root.get("resample").asInt() != 2) {
            throw new IllegalArgumentException("resample " + root.get("resample") + " is not supported (only 2 = "
                    + "PIL BILINEAR)");
        }
        if (!root.path("do_rescale").asBoolean(true)) {
            throw new IllegalArgumentException("do_rescale=false is not supported");
        }
        int edge = d.shortestEdge();
        int h = 0;
        int w = 0;
        JsonNode size = root.get("size");
        if (size != null && size.isInt()) {
            edge = size.asInt();
        } else if (size != null && size.has("shortest_edge")) {
            edge = size.get("shortest_edge").asInt();
        } else if (size != null && size.has("height") && size.has("width")) {
            edge = 0;
            h = size.get("height").asInt();
            w = size.get("width").asInt();
        } else if (size != null) {
            throw new IllegalArgumentException("size " + size + " has neither shortest_edge nor height and width");
        }
        return new ProcessorConfig(edge, h, w, root.path("do_resize").asBoolean(true),
                root.has("rescale_factor") ? root.get("rescale_factor").asDouble() : d.rescaleFactor(),
                root.path("offset").asBoolean(d.offset()), root.path("do_normalize").asBoolean(true),
                rgb(root.get("image_mean"), "image_mean", d.mean()), rgb(root.get("image_std"), "image_std", d.std()));
    }

    private static Rgb rgb(JsonNode node, String key, Rgb fallback) {
        if (node == null) {
            return fallback;
        }
        if (node.isNumber()) {
            float v = (float) node.asDouble();
            return new Rgb(v, v, v);
        }
        if (!node.isArray() || node.size() != 3) {
            throw new IllegalArgumentException(key + " " + node + " must be a number or 3 numbers");
        }
        return new Rgb((float) node.get(0).asDouble(), (float) node.get(1).asDouble(), (float) node.get(2).asDouble());
    }
}
