"""The notebook's pictures as uint8 [H, W, 3] arrays (shown with autogaze_readout.notebook.png_bytes): the loss
curve and a clip's tokens before and after reconstruction. numpy only, no plotting library."""
import numpy as np

WHITE, GREY, DARK = np.uint8(255), np.array([128, 128, 128], np.uint8), np.array([30, 30, 30], np.uint8)
BLUE, ORANGE = np.array([31, 119, 180], np.uint8), np.array([255, 127, 14], np.uint8)


def loss_curve(losses, width=480, height=200, smooth=10, margin=8):
    """Every step's loss (light) and its running mean over `smooth` steps (dark), y from 0 to the largest loss."""
    losses = np.asarray(losses, dtype=np.float64)
    if len(losses) < 2:
        raise ValueError(f"loss_curve needs at least 2 losses, got {len(losses)}")
    img = np.full((height, width, 3), WHITE, np.uint8)
    img[margin:height - margin, margin] = DARK                   # y axis
    img[height - margin - 1, margin:width - margin] = DARK       # x axis (loss 0)
    top = losses.max()
    mean = np.convolve(losses, np.ones(smooth) / smooth, mode="valid") if len(losses) >= smooth else losses
    for values, offset, colour in ((losses, 0, ORANGE), (mean, len(losses) - len(mean), BLUE)):
        # dense sampling along the polyline, so consecutive points join
        steps = np.linspace(0, len(values) - 1, 8 * width)
        ys = np.interp(steps, np.arange(len(values)), values)
        x = (margin + 1 + (steps + offset) / (len(losses) - 1) * (width - 2 * margin - 2)).round().astype(int)
        y = (height - margin - 2 - ys / top * (height - 2 * margin - 3)).round().astype(int)
        img[y, x] = colour
    return img


def tokens_on_frame(coords, patches, clip, t, grid, fill=GREY):
    """The first frame of temporal bin t of clip `clip`: each of its tokens' pixels at [row, col], `fill` elsewhere."""
    _, gh, gw = grid
    patch = patches.shape[2]
    img = np.empty((gh * patch, gw * patch, 3), np.uint8)
    img[:] = fill
    for i in np.flatnonzero((coords[:, 0] == clip) & (coords[:, 1] == t)):
        r, c = int(coords[i, 2]), int(coords[i, 3])
        img[r * patch:(r + 1) * patch, c * patch:(c + 1) * patch] = patches[i, 0]
    return img


def reconstruction(coords, patches, predicted, held, clip, t, grid, gap=4):
    """Three panels side by side: the clip's selected tokens, what the model sees (held-out tokens dark), and the
    context with the model's prediction in place of each held-out token. Grey: tokens the gaze did not select."""
    coords, patches, predicted, held = (np.asarray(a) for a in (coords, patches, predicted, held))
    seen = patches.copy()
    seen[held] = DARK
    mixed = patches.copy()
    mixed[held] = predicted[held]
    panels = [tokens_on_frame(coords, p, clip, t, grid) for p in (patches, seen, mixed)]
    h = panels[0].shape[0]
    spacer = np.full((h, gap, 3), WHITE, np.uint8)
    return np.concatenate([panels[0], spacer, panels[1], spacer, panels[2]], axis=1)
