package dev.autogaze.readout;

/**
 * How the square model frame maps back onto the original video frame. The processor resizes the shortest edge and
 * the gaze model squashes to a square, so the whole source frame covers the whole model frame: x and y scale
 * independently ({@code x_src = x · width / modelSide}).
 */
public record SourceFrame(int modelSide, int width, int height) {

    public SourceFrame {
        if (modelSide <= 0) {
            throw new IllegalArgumentException("model frame side " + modelSide + " must be positive");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("source frame " + width + "x" + height + " must have positive sides");
        }
    }

    /** A source frame of width x height pixels for the layout's model frame. */
    public static SourceFrame of(ScaleLayout layout, int width, int height) {
        return new SourceFrame(layout.frameSize(), width, height);
    }

    /** The source is the model frame itself (224x224 input, identity resize). */
    public static SourceFrame identity(ScaleLayout layout) {
        return of(layout, layout.frameSize(), layout.frameSize());
    }

    public double scaleX() {
        return (double) width / modelSide;
    }

    public double scaleY() {
        return (double) height / modelSide;
    }

    /** A model-frame rectangle in source pixels (one multiplication and one division per edge). */
    public ReadoutRect toSource(ReadoutRect model) {
        return new ReadoutRect(model.x0() * width / modelSide, model.y0() * height / modelSide,
                model.x1() * width / modelSide, model.y1() * height / modelSide);
    }
}
