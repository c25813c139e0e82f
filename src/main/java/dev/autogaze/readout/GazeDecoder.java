package dev.autogaze.readout;

import java.util.Optional;

/**
 * Turns AutoGaze's global ids ({@code t·N + id}) into cells and rectangles, the one place where the raw id
 * arithmetic lives so no caller re-derives it.
 */
public record GazeDecoder(ScaleLayout layout, SourceFrame source) {

    public GazeDecoder {
        if (layout == null || source == null) {
            throw new IllegalArgumentException("decoder needs a layout and a source frame");
        }
        if (source.modelSide() != layout.frameSize()) {
            throw new IllegalArgumentException("source frame maps a " + source.modelSide()
                    + "-px model frame but the layout's frame is " + layout.frameSize() + " px");
        }
    }

    /** A decoder whose source frame is the square model frame. */
    public static GazeDecoder of(ScaleLayout layout) {
        return new GazeDecoder(layout, SourceFrame.identity(layout));
    }

    /** The cell of per-frame id {@code id} in frame {@code frame}; rejects ids outside [0, N). */
    public GazeCell cell(int frame, int id) {
        if (frame < 0) {
            throw new IllegalArgumentException("frame " + frame + " is negative");
        }
        int s = layout.scaleOf(id);
        int local = id - layout.offset(s);
        int g = layout.grid(s);
        int row = local / g;
        int col = local % g;
        return new GazeCell(frame, id, s, row, col, layout.cellRect(s, row, col));
    }

    /** Decodes a real (non-pad) global id. */
    public GazeCell decode(long globalId) {
        int n = layout.tokensPerFrame();
        if (globalId < 0) {
            throw new IllegalArgumentException("global id " + globalId + " is negative");
        }
        long frame = globalId / n;
        if (frame > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("global id " + globalId + " names frame " + frame + ", beyond int range");
        }
        return cell((int) frame, (int) (globalId % n));
    }

    /** Decodes one entry of gazing_pos / if_padded_gazing: pads (whatever their value) decode to nothing. */
    public Optional<GazeCell> decode(long globalId, boolean padded) {
        return padded ? Optional.empty() : Optional.of(decode(globalId));
    }

    /** The cell's rectangle in source-frame pixels (independent x and y factors). */
    public ReadoutRect sourceRect(GazeCell cell) {
        return source.toSource(cell.rect());
    }
}
