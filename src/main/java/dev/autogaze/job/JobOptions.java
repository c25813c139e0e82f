package dev.autogaze.job;

import dev.autogaze.model.GazeOptions;
import dev.autogaze.readout.ReadoutOptions;
import dev.autogaze.readout.VideoGeometry;
import dev.autogaze.readout.VideoTokenOptions;
import dev.autogaze.video.SamplingOptions;


/**
 * Everything a run needs, validated as a whole before any Spark work starts: each check names the option
 * (as the CLI spells it) and the bad value. Executors receive it as JSON ({@link JobOptionsJson}).
 *
 * @param input           a directory, a glob, or a manifest (CSV, JSONL, Parquet)
 * @param output          the output directory (local path or Hadoop URI)
 * @param mode            overwrite, append or resume
 * @param gazeSource      which gaze source, and its model path or threshold
 * @param gaze            gazing ratio(s), task-loss requirement, token cap
 * @param sampling        how videos become clips of T frames
 * @param frameHeight     downstream model frame height in pixels
 * @param frameWidth      downstream model frame width in pixels
 * @param tubelet         downstream frames per temporal token
 * @param patch           downstream patch size in pixels
 * @param readout         per-frame readout choices
 * @param videoTokens     per-bin and per-clip token budgets
 * @param batchSize       clips per gaze-source call (B), from any videos of the task; every clip's row equals
 *                        gazing it alone ({@code GazeSource.gazeEach}), so output does not depend on B
 * @param decoders        videos a task decodes at once, one thread each; 0 = by the task's cores ({@link #decodersFor})
 * @param partitions      Spark partitions over the video list; 0 = the session's default parallelism
 * @param videosPerCommit videos per committed write; a killed run loses at most the wave in flight
 * @param tiles           AnyRes: gaze each clip as tiles of the gaze source's input size at native resolution
 *                        (`--tiles`), placed back on the whole frame, instead of squashing the frame to that size
 * @param emitPatches     also write each kept token's pixels (the patches column, docs/output-schema.md)
 * @param keepColumns     fields of a WebDataset sample ({@code KEY.json} fields, {@code txt} for {@code KEY.txt})
 *                        every clip row of the sample carries in {@code extra}; empty = none
 * @param videoColumn     the binary column holding each row's video when the input is a Parquet table of videos
 *                        (a dotted path for a nested field); null when the input names video files
 * @param balance         how work is spread over tasks: by estimated clips (probing containers where needed, long
 *                        videos split), or by video count
 * @param splitClips      with clip balancing, split a video estimated above this many clips into ranges of at most
 *                        this many; 0 = automatic (a quarter of an even share per partition), -1 = never
 */
public record JobOptions(String input, String output, WriteMode mode, GazeSourceSpec gazeSource, GazeOptions gaze,
                         SamplingOptions sampling, int frameHeight, int frameWidth, int tubelet, int patch,
                         ReadoutOptions readout, VideoTokenOptions videoTokens, int batchSize, int decoders,
                         int partitions, int videosPerCommit, boolean tiles, boolean emitPatches,
                         java.util.List<String> keepColumns, String videoColumn, Balance balance, int splitClips) {

    public JobOptions {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("--input is required (a directory, glob or manifest)");
        }
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("--out is required");
        }
        if (mode == null || gazeSource == null || gaze == null || sampling == null || readout == null
                || videoTokens == null) {
            throw new IllegalArgumentException("mode, gaze source, gaze, sampling, readout and video-token options must"
                    + " all be given");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " must be >= 1");
        }
        if (decoders < 0) {
            throw new IllegalArgumentException("--decoders " + decoders + " must be >= 0 (0 = the task's cores)");
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions " + partitions + " must be >= 0 (0 = default parallelism)");
        }
        if (videosPerCommit < 1) {
            throw new IllegalArgumentException("--videos-per-commit " + videosPerCommit + " must be >= 1");
        }
        keepColumns = java.util.List.copyOf(keepColumns == null ? java.util.List.of() : keepColumns);
        if (new java.util.HashSet<>(keepColumns).size() != keepColumns.size()
                || keepColumns.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("--keep-columns " + String.join(",", keepColumns)
                    + " must name distinct, non-blank columns");
        }
        for (String c : keepColumns) {
            if (dev.autogaze.io.OutputSchema.clipColumns().contains(c)) {
                throw new IllegalArgumentException("--keep-columns " + c + ": the clips table has a column of that"
                        + " name; rename it in the source");
            }
        }
        if (balance == null) {
            throw new IllegalArgumentException("--balance must be clips or videos");
        }
        if (splitClips < -1) {
            throw new IllegalArgumentException("--split-clips " + splitClips + " must be >= 0 (0 = automatic) or -1"
                    + " (never)");
        }
        if (videoColumn != null && videoColumn.isBlank()) {
            throw new IllegalArgumentException("--video-column must name a column");
        }
        VideoGeometry g;
        try {
            g = new VideoGeometry(sampling.clipLength(), frameHeight, frameWidth, tubelet, patch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("downstream geometry (--clip-length " + sampling.clipLength()
                    + ", --frame-height " + frameHeight + ", --frame-width " + frameWidth + ", --tubelet " + tubelet
                    + ", --patch " + patch + "): " + e.getMessage(), e);
        }
        videoTokens.checkAgainst(g);
        if (gaze.gazingRatioEachFrame() != null && gaze.gazingRatioEachFrame().length != sampling.clipLength()) {
            throw new IllegalArgumentException("--gazing-ratio-each-frame has " + gaze.gazingRatioEachFrame().length
                    + " values but --clip-length is " + sampling.clipLength());
        }
        if (tiles && gazeSource.target() != null) {
            throw new IllegalArgumentException("--tiles cannot be combined with --target-scales " + gazeSource.target()
                    + ": resolution adaptation tiles each frame itself");
        }
        if (gazeSource.kind() == GazeSourceSpec.Kind.PATCH_DIFF && gaze.taskLossRequirement() != null) {
            throw new IllegalArgumentException("--task-loss-requirement " + gaze.taskLossRequirement()
                    + " needs the autogaze gaze source; patch-diff predicts no task loss");
        }
    }

    /**
     * Patch-diff on 16-frame clips, 224x224 downstream frames, tubelet 2, patch 16, B = 4, one decoder per task
     * core, overwrite, no patches.
     */
    public static JobOptions defaults(String input, String output) {
        return new JobOptions(input, output, WriteMode.OVERWRITE, GazeSourceSpec.patchDiff(), GazeOptions.defaults(),
                SamplingOptions.defaults(), 224, 224, 2, 16, ReadoutOptions.defaults(), VideoTokenOptions.defaults(),
                4, 0, 0, 1000, false, false, java.util.List.of(), null, Balance.CLIPS, 0);
    }

    /** The downstream token grid of one clip. */
    public VideoGeometry geometry() {
        return new VideoGeometry(sampling.clipLength(), frameHeight, frameWidth, tubelet, patch);
    }

    public JobOptions withMode(WriteMode m) {
        return new JobOptions(input, output, m, gazeSource, gaze, sampling, frameHeight, frameWidth, tubelet, patch,
                readout, videoTokens, batchSize, decoders, partitions, videosPerCommit, tiles, emitPatches,
                keepColumns, videoColumn, balance, splitClips);
    }

    public JobOptions withGazeSource(GazeSourceSpec s) {
        return new JobOptions(input, output, mode, s, gaze, sampling, frameHeight, frameWidth, tubelet, patch,
                readout, videoTokens, batchSize, decoders, partitions, videosPerCommit, tiles, emitPatches,
                keepColumns, videoColumn, balance, splitClips);
    }

    public JobOptions withGaze(GazeOptions o) {
        return new JobOptions(input, output, mode, gazeSource, o, sampling, frameHeight, frameWidth, tubelet, patch,
                readout, videoTokens, batchSize, decoders, partitions, videosPerCommit, tiles, emitPatches,
                keepColumns, videoColumn, balance, splitClips);
    }

    public JobOptions withSampling(SamplingOptions o) {
        return new JobOptions(input, output, mode, gazeSource, gaze, o, frameHeight, frameWidth, tubelet, patch,
                readout, videoTokens, batchSize, decoders, partitions, videosPerCommit, tiles, emitPatches,
                keepColumns, videoColumn, balance, splitClips);
    }

    public JobOptions withDownstream(int height, int width, int tubeletSize, int patchSize) {
        return new JobOptions(input, output, mode, gazeSource, gaze, sampling, height, width, tubeletSize, patchSize,
                readout, videoTokens, batchSize, decoders, partitions, videosPerCommit, tiles, emitPatches,
                keepColumns, videoColumn, balance, splitClips);
    }

    public JobOptions withReadout(ReadoutOptions o) {
        return new JobOptions(input, output, mode, gazeSource, gaze, sampling, frameHeight, frameWidth, tubelet, patch,
                o, videoTokens, batchSize, decoders, partitions, videosPerCommit, tiles, emitPatches,
                keepColumns, videoColumn, balance, splitClips);
    }

    public JobOptions withVideoTokens(VideoTokenOptions o) {
        return new JobOptions(input, output, mode, gazeSource, gaze, sampling, frameHeight, frameWidth, tubelet, patch,
                readout, o, batchSize, decoders, partitions, videosPerCommit, tiles, emitPatches,
                keepColumns, videoColumn, balance, splitClips);
    }

    public JobOptions withBatchSize(int b) {
        return new JobOptions(input, output, mode, gazeSource, gaze, sampling, frameHeight, frameWidth, tubelet, patch,
                readout, videoTokens, b, decoders, partitions, videosPerCommit, tiles, emitPatches,
                keepColumns, videoColumn, balance, splitClips);
    }

    /**
     * Decoding threads of a task with `cores` cores (spark.task.cpus): --decoders when given; by default the cores,
     * less, for the cuda engine, one for the gaze loop and one per lane, the threads that feed the GPU (every decode
     * step waits on its host part), while that leaves at least half of them to decode. Measured on 16 cores, one H200,
     * 2 lanes, alternating: 13 decoders 214.8 and 215.7 clips/s, 16 decoders 209.1 and 211.2 (docs/performance.md).
     */
    public int decodersFor(int cores) {
        if (decoders > 0) {
            return decoders;
        }
        if (!gazeSource.runsOnCuda()) {
            return Math.max(1, cores);
        }
        return Math.max(Math.max(1, cores / 2), cores - 1 - gazeSource.cudaLanes());
    }

    public JobOptions withDecoders(int d) {
        return new JobOptions(input, output, mode, gazeSource, gaze, sampling, frameHeight, frameWidth, tubelet, patch,
                readout, videoTokens, batchSize, d, partitions, videosPerCommit, tiles, emitPatches,
                keepColumns, videoColumn, balance, splitClips);
    }

    public JobOptions withPartitions(int p) {
        return new JobOptions(input, output, mode, gazeSource, gaze, sampling, frameHeight, frameWidth, tubelet, patch,
                readout, videoTokens, batchSize, decoders, p, videosPerCommit, tiles, emitPatches,
                keepColumns, videoColumn, balance, splitClips);
    }

    public JobOptions withTiles(boolean t) {
        return new JobOptions(input, output, mode, gazeSource, gaze, sampling, frameHeight, frameWidth, tubelet, patch,
                readout, videoTokens, batchSize, decoders, partitions, videosPerCommit, t, emitPatches,
                keepColumns, videoColumn, balance, splitClips);
    }

    public JobOptions withVideosPerCommit(int v) {
        return new JobOptions(input, output, mode, gazeSource, gaze, sampling, frameHeight, frameWidth, tubelet, patch,
                readout, videoTokens, batchSize, decoders, partitions, v, tiles, emitPatches,
                keepColumns, videoColumn, balance, splitClips);
    }

    public JobOptions withEmitPatches(boolean e) {
        return new JobOptions(input, output, mode, gazeSource, gaze, sampling, frameHeight, frameWidth, tubelet, patch,
                readout, videoTokens, batchSize, decoders, partitions, videosPerCommit, tiles, e,
                keepColumns, videoColumn, balance, splitClips);
    }

    public JobOptions withKeepColumns(java.util.List<String> columns) {
        return new JobOptions(input, output, mode, gazeSource, gaze, sampling, frameHeight, frameWidth, tubelet, patch,
                readout, videoTokens, batchSize, decoders, partitions, videosPerCommit, tiles, emitPatches,
                columns, videoColumn, balance, splitClips);
    }

    public JobOptions withVideoColumn(String column) {
        return new JobOptions(input, output, mode, gazeSource, gaze, sampling, frameHeight, frameWidth, tubelet, patch,
                readout, videoTokens, batchSize, decoders, partitions, videosPerCommit, tiles, emitPatches,
                keepColumns, column, balance, splitClips);
    }

    public JobOptions withBalance(Balance b, int split) {
        return new JobOptions(input, output, mode, gazeSource, gaze, sampling, frameHeight, frameWidth, tubelet, patch,
                readout, videoTokens, batchSize, decoders, partitions, videosPerCommit, tiles, emitPatches,
                keepColumns, videoColumn, b, split);
    }

    /** How work is spread over tasks. */
    public enum Balance {
        /** By estimated clips: containers probed where no estimate is at hand, long videos split into ranges. */
        CLIPS,
        /** By video count, in listing order (no probe, no split). */
        VIDEOS
    }
}
