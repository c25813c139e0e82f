package dev.autogaze.model;

import dev.autogaze.video.RgbClip;

/**
 * The Hugging Face AutoGaze image processor, bit-exact: Pillow bilinear resize on uint8, rescale with offset,
 * per-channel normalize, channels first (spec §2.2). The model was trained on exactly these values, so the
 * arithmetic (f64 multiply, f32 subtractions and division) follows the reference step by step.
 */
public final class AutoGazeProcessor {

    private final ProcessorConfig config;
    /** [channel * 256 + u8] -> the processed value; steps 2-3 depend only on the byte, so a table is exact. */
    private final float[] table;

    public AutoGazeProcessor(ProcessorConfig config) {
        this.config = config;
        this.table = new float[3 * 256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                table[c * 256 + v] = value(v, c);
            }
        }
    }

    /** The processor of a model folder: its preprocessor_config.json, or the released defaults without one. */
    public static AutoGazeProcessor forModel(java.nio.file.Path modelDir) {
        return new AutoGazeProcessor(ProcessorConfig.loadOrDefaults(modelDir));
    }

    public static AutoGazeProcessor defaults() {
        return new AutoGazeProcessor(ProcessorConfig.defaults());
    }

    public ProcessorConfig config() {
        return config;
    }

    /** One clip to {@code [T, 3, H', W']}. */
    public PixelValues process(RgbClip clip) {
        int[] size = config.outputSize(clip.height(), clip.width());
        int h = size[0];
        int w = size[1];
        int plane = h * w;
        float[] out = new float[clip.frameCount() * 3 * plane];
        for (int t = 0; t < clip.frameCount(); t++) {
            byte[] rgb = clip.frames()[t];
            if (h != clip.height() || w != clip.width()) {
                rgb = PillowBilinear.resize(rgb, clip.width(), clip.height(), w, h);
            }
            int base = t * 3 * plane;
            for (int p = 0; p < plane; p++) {
                int q = p * 3;
                out[base + p] = table[rgb[q] & 0xFF];
                out[base + plane + p] = table[256 + (rgb[q + 1] & 0xFF)];
                out[base + 2 * plane + p] = table[512 + (rgb[q + 2] & 0xFF)];
            }
        }
        return new PixelValues(clip.frameCount(), h, w, out);
    }

    /**
     * Everything a device needs to process a {@code height x width} clip exactly as {@link #process} does and then
     * squash it to the model's {@code size} as the model does ({@link BicubicResize#squash}): the coefficient tables
     * of the passes that run (null for a pass that does not) and the byte-to-value table.
     */
    public ProcessorPlan plan(int height, int width, int size) {
        int[] out = config.outputSize(height, width);
        int h = out[0];
        int w = out[1];
        boolean squash = h != size || w != size;
        return new ProcessorPlan(height, width, h, w, size,
                w != width ? PillowBilinear.coefficients(width, w) : null,
                h != height ? PillowBilinear.coefficients(height, h) : null,
                table.clone(),
                squash ? BicubicResize.axis(w, size) : null,
                squash ? BicubicResize.axis(h, size) : null);
    }

    /** Steps 2-3 for one byte: {@code f32(f64(v) * factor) - 1} in f32, then {@code (x - mean) / std} in f32. */
    float value(int v, int channel) {
        float x = (float) (v * config.rescaleFactor());
        if (config.offset()) {
            x = x - 1f;
        }
        if (config.doNormalize()) {
            x = (x - config.mean().get(channel)) / config.std().get(channel);
        }
        return x;
    }
}
