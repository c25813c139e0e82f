package dev.autogaze.job;

import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.TileLayout;
import dev.autogaze.readout.TiledIds;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.video.RgbClip;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * AnyRes in the job (`--tiles`): every clip becomes row-major tiles of the gaze source's input size at native
 * resolution (the last row and column padded black), all tiles of a batch go to the source in one call, and each
 * clip's tile gazes are merged into one gaze of {@link TiledIds}.
 */
final class AnyResTiles {

    private AnyResTiles() {
    }

    /** The tiling of a {@code width x height} frame for a source whose frames are {@code layout.frameSize()}. */
    static TileLayout layoutOf(ScaleLayout layout, int width, int height) {
        return new TileLayout(width, height, layout.frameSize(), layout.frameSize());
    }

    /** Clip's tiles in tile order. */
    static List<RgbClip> cut(RgbClip clip, TileLayout tiles) {
        List<RgbClip> out = new ArrayList<>(tiles.tiles());
        for (int k = 0; k < tiles.tiles(); k++) {
            out.add(clip.crop(k % tiles.tileColumns() * tiles.tileWidth(), k / tiles.tileColumns() * tiles.tileHeight(),
                    tiles.tileWidth(), tiles.tileHeight()));
        }
        return out;
    }

    /** Gazes every clip's tiles through {@code gazeEach} (one call) and merges each clip's. */
    static List<GeneratedGaze> gaze(List<RgbClip> clips, ScaleLayout layout,
                                    Function<List<RgbClip>, List<GeneratedGaze>> gazeEach) {
        List<RgbClip> tiles = new ArrayList<>();
        List<TiledIds> layouts = new ArrayList<>(clips.size());
        for (RgbClip clip : clips) {
            TiledIds ids = new TiledIds(layout, layoutOf(layout, clip.width(), clip.height()));
            layouts.add(ids);
            tiles.addAll(cut(clip, ids.tiles()));
        }
        List<GeneratedGaze> all = gazeEach.apply(tiles);
        if (all.size() != tiles.size()) {
            throw new IllegalStateException("the gaze source returned " + all.size() + " results for " + tiles.size()
                    + " tiles");
        }
        List<GeneratedGaze> out = new ArrayList<>(clips.size());
        int at = 0;
        for (TiledIds ids : layouts) {
            int n = ids.tiles().tiles();
            out.add(ids.merge(all.subList(at, at + n)));
            at += n;
        }
        return out;
    }
}
