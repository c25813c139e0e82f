package dev.autogaze.cli;

import dev.autogaze.io.OutputTarget;
import dev.autogaze.job.AutogazeJob;
import dev.autogaze.job.GazeSourceSpec;
import dev.autogaze.job.GazeSources;
import dev.autogaze.job.JobOptions;
import dev.autogaze.job.OutputConflictException;
import dev.autogaze.job.ProcessorFactory;
import dev.autogaze.job.RunSummary;
import dev.autogaze.job.VideoListing;
import dev.autogaze.job.WriteMode;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.model.ModelFormatException;
import dev.autogaze.model.ModelLocator;
import dev.autogaze.model.PatchDiffGazeSource;
import dev.autogaze.model.ResolutionTarget;
import dev.autogaze.readout.CellToTokenRule;
import dev.autogaze.readout.Priority;
import dev.autogaze.readout.ReadoutOptions;
import dev.autogaze.readout.VideoTokenOptions;
import dev.autogaze.video.VideoDataset;
import dev.autogaze.video.VideoRef;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `jobs/autogaze run` and the spark-submit main class: parses and validates every option, lists the videos, and
 * only then starts Spark and runs {@link AutogazeJob}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the Spark job: videos -> AutoGaze (or patch-diff) -> [batch, temporal, row, col] Parquet.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = {"-i", "--input"}, required = true,
            description = "Videos: a directory, a glob, a manifest (.csv, .jsonl, .parquet), or WebDataset .tar shards (a"
                    + " folder of them, a glob, or a brace list such as shards/{00000..00009}.tar).")
    String input;

    @Option(names = {"-o", "--out"}, required = true, description = "Output directory (local path or Hadoop URI).")
    String out;

    @Option(names = "--mode", defaultValue = "overwrite",
            description = "overwrite, append or resume (default ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--gaze-source", description = "autogaze or patch-diff (default: autogaze when --model is given or"
            + " the Hugging Face cache holds nvidia/AutoGaze, else patch-diff).")
    String gazeSource;

    @Option(names = "--model", description = "AutoGaze model directory or Hugging Face cache root (default for"
            + " autogaze: nvidia/AutoGaze in $HF_HUB_CACHE, $HF_HOME/hub, $XDG_CACHE_HOME/huggingface/hub or"
            + " ~/.cache/huggingface/hub, the snapshot refs/main names).")
    String model;

    /** Where a run without --model looks for the weights (tests give it a fake environment). */
    ModelLocator locator = ModelLocator.system();

    @Mixin
    EngineMixin engine;

    @Option(names = "--patch-diff-threshold", defaultValue = "" + PatchDiffGazeSource.DEFAULT_THRESHOLD,
            description = "patch-diff: mean absolute RGB change (0-255) a cell must exceed (default ${DEFAULT-VALUE}).")
    float threshold;

    @Option(names = "--target-scales", description = "autogaze: deliver gazes in a downstream encoder's multi-scale"
            + " layout (official resolution adaptation), e.g. 56,112,196,392 for SigLIP at 392; as many scales as the"
            + " model has, ascending; frames are processed to the largest. Needs --target-patch.")
    String targetScales;

    @Option(names = "--target-patch", description = "autogaze: the downstream encoder's patch size (with"
            + " --target-scales), e.g. 14.")
    Integer targetPatch;

    @Option(names = "--gazing-ratio", defaultValue = "0.75", description = "Fraction of the per-frame vocabulary (default ${DEFAULT-VALUE}).")
    float gazingRatio;

    @Option(names = "--gazing-ratio-each-frame", split = ",",
            description = "Per-frame ratios, comma separated, one per clip frame (overrides --gazing-ratio).")
    float[] gazingRatioEachFrame;

    @Option(names = "--task-loss-requirement", description = "autogaze: stop a frame once predicted task loss <= this.")
    Float taskLossRequirement;

    @Option(names = "--max-gaze-tokens-per-frame", defaultValue = "0", description = "Cap per frame; 0 = none.")
    int maxGazeTokens;

    @Mixin
    SamplingMixin sampling;

    @Option(names = "--tiles", description = "AnyRes: gaze each clip as tiles of the gaze input size (224) at native"
            + " resolution, the last row and column padded black, and place the gazes on the whole frame; set"
            + " --frame-height/--frame-width to the downstream frame (e.g. 720 x 1280).")
    boolean tiles;

    @Option(names = "--frame-height", defaultValue = "224", description = "Downstream frame height (default ${DEFAULT-VALUE}).")
    int frameHeight;

    @Option(names = "--frame-width", defaultValue = "224", description = "Downstream frame width (default ${DEFAULT-VALUE}).")
    int frameWidth;

    @Option(names = "--tubelet", defaultValue = "2", description = "Downstream frames per temporal token (default ${DEFAULT-VALUE}).")
    int tubelet;

    @Option(names = "--patch", defaultValue = "16", description = "Downstream patch size (default ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--confidence-threshold", defaultValue = "0", description = "Readout: keep fixations with confidence >= this; 0 = all.")
    double confidenceThreshold;

    @Option(names = "--max-fixations-per-frame", defaultValue = "0", description = "Readout: first k fixations per frame; 0 = all.")
    int maxFixations;

    @Option(names = "--fixation-scale", defaultValue = "1.0", description = "Readout: grow/shrink cells about their centre.")
    double fixationScale;

    @Option(names = "--dilation", defaultValue = "0", description = "Readout: grow token sets by this many tokens.")
    int dilation;

    @Option(names = "--max-tokens-per-frame", defaultValue = "0", description = "Readout: first k tokens per frame; 0 = all.")
    int maxTokensPerFrame;

    @Option(names = "--cell-rule", defaultValue = "any-overlap",
            description = "Readout: any-overlap, center or min-fraction:F (default ${DEFAULT-VALUE}).")
    String cellRule;

    @Option(names = "--priority", defaultValue = "GAZE_ORDER", description = "Readout caps keep: ${COMPLETION-CANDIDATES}.")
    Priority priority;

    @Option(names = "--per-bin-budget", defaultValue = "0", description = "Tokens per temporal bin at most; 0 = none.")
    int perBinBudget;

    @Option(names = "--global-budget", defaultValue = "0", description = "Tokens per clip at most; 0 = none.")
    int globalBudget;

    @Option(names = "--min-tokens-per-bin", defaultValue = "0", description = "Fill bins up to this many tokens.")
    int minTokensPerBin;

    @Option(names = {"-b", "--batch-size"}, defaultValue = "4",
            description = "Clips per gaze call, from any videos of a task; rows do not depend on it (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--decoders", defaultValue = "0",
            description = "Videos a task decodes at once (one thread each); 0 = the task's cores (spark.task.cpus), "
                    + "less one for the gaze loop and one per --cuda-lanes lane with the cuda engine while half remain.")
    int decoders;

    @Option(names = "--partitions", defaultValue = "0", description = "Spark partitions; 0 = default parallelism.")
    int partitions;

    @Option(names = "--videos-per-commit", defaultValue = "1000",
            description = "Videos per committed write wave (default ${DEFAULT-VALUE}).")
    int videosPerCommit;

    @Option(names = "--emit-patches", description = "Also write each kept token's pixels (tubelet x patch x patch x 3"
            + " uint8, from the clip resized to the downstream frame size) in the patches column.")
    boolean emitPatches;

    @Option(names = "--keep-columns", split = ",", paramLabel = "COLUMN",
            description = "Columns every clip row carries in `extra`, comma-separated: fields of KEY.json (txt for"
                    + " the text of KEY.txt) for WebDataset shards, columns of the table with --video-column, a"
                    + " subset of the manifest's columns for a manifest.")
    List<String> keepColumns = new ArrayList<>();

    @Option(names = "--video-column", paramLabel = "COLUMN",
            description = "The input is a Parquet table (a .parquet file, a folder or a glob of them) holding each row's"
                    + " video as bytes in this binary column (video.bytes for a nested field); video_id, start_sec,"
                    + " end_sec, split columns are used when present.")
    String videoColumn;

    @Option(names = "--balance", defaultValue = "clips", converter = BalanceConverter.class,
            description = "Spread work over tasks by estimated clips (clips: containers probed where the manifest has"
                    + " no frames/duration, long videos split) or by video count (videos). Default ${DEFAULT-VALUE}.")
    JobOptions.Balance balance;

    @Option(names = "--split-clips", defaultValue = "0",
            description = "With --balance clips: split videos estimated above this many clips into ranges run by"
                    + " different tasks (same rows as unsplit); 0 = automatic, -1 = never.")
    int splitClips;

    /** clips / videos, any case. */
    static final class BalanceConverter implements picocli.CommandLine.ITypeConverter<JobOptions.Balance> {
        @Override
        public JobOptions.Balance convert(String value) {
            try {
                return JobOptions.Balance.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("--balance " + value
                        + " is unknown; use clips or videos");
            }
        }
    }

    @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--conf", description = "Extra Spark setting key=value (repeatable).")
    List<String> sparkConf = new ArrayList<>();

    /** The validated options these flags describe (no Spark, no file system access beyond the model path). */
    public JobOptions toOptions() {
        String source = gazeSource != null ? gazeSource : model != null
                || locator.cachedRepo(ModelLocator.DEFAULT_REPO).isPresent() ? "autogaze" : "patch-diff";
        String modelPath = model;
        if (modelPath == null && GazeSourceSpec.Kind.parse(source) == GazeSourceSpec.Kind.AUTOGAZE) {
            try {
                modelPath = locator.locate(null).toString();
            } catch (ModelFormatException e) {
                throw new IllegalArgumentException("autogaze without --model: " + e.getMessage(), e);
            }
        }
        GazeSourceSpec spec = engine.withLanes(GazeSourceSpec.fromFlags(source, modelPath, threshold, engine.value()));
        if ((targetScales == null) != (targetPatch == null)) {
            throw new IllegalArgumentException(targetScales == null ? "--target-patch " + targetPatch
                    + " needs --target-scales" : "--target-scales " + targetScales + " needs --target-patch");
        }
        if (targetScales != null) {
            spec = spec.withTarget(ResolutionTarget.parse(targetScales, targetPatch));
        }
        GazeOptions gaze = new GazeOptions(gazingRatio, gazingRatioEachFrame, taskLossRequirement, maxGazeTokens);
        ReadoutOptions readout = new ReadoutOptions(confidenceThreshold, maxFixations, fixationScale, dilation,
                maxTokensPerFrame, parseRule(cellRule), priority);
        WriteMode writeMode;
        try {
            writeMode = WriteMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mode " + mode + " is unknown; use overwrite, append or resume");
        }
        return new JobOptions(input, out, writeMode, spec, gaze, sampling.toOptions(), frameHeight, frameWidth, tubelet,
                patch, readout, new VideoTokenOptions(perBinBudget, globalBudget, minTokensPerBin), batchSize,
                decoders, partitions, videosPerCommit, tiles, emitPatches, keepColumns, videoColumn, balance,
                splitClips);
    }

    static CellToTokenRule parseRule(String text) {
        String t = text.toLowerCase(Locale.ROOT).replace('_', '-');
        if (t.equals("any-overlap")) {
            return CellToTokenRule.ANY_OVERLAP;
        }
        if (t.equals("center")) {
            return CellToTokenRule.CENTER;
        }
        if (t.startsWith("min-fraction:")) {
            try {
                return CellToTokenRule.minFraction(Double.parseDouble(t.substring("min-fraction:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--cell-rule " + text + ": the fraction is not a number");
            }
        }
        throw new IllegalArgumentException("--cell-rule " + text + " is unknown; use any-overlap, center or"
                + " min-fraction:F");
    }

    /**
     * The Hadoop configuration the listing uses: Hadoop's defaults plus every {@code spark.hadoop.*} setting (from
     * spark-submit's system properties, then --conf), as Spark's own Hadoop configuration has them (e.g. s3a keys).
     */
    static Configuration listingConf(Map<String, String> settings) {
        Configuration hadoop = new Configuration();
        Map<String, String> all = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().forEach(k -> all.put(k, System.getProperty(k)));
        all.putAll(settings);
        all.forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) {
                hadoop.set(k.substring("spark.hadoop.".length()), v);
            }
        });
        return hadoop;
    }

    /** The innermost cause's class and first message line, e.g. {@code IOException: No space left on device}. */
    static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? "" : t.getMessage().strip();
        int nl = m.indexOf('\n');
        return t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + (nl < 0 ? m : m.substring(0, nl)));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        JobOptions options;
        try {
            // options first: a bad value is reported before Spark logs anything or a folder is touched
            options = toOptions();
            GazeSources.validate(options.gazeSource());
        } catch (IllegalArgumentException e) {
            err.println("autogaze run: " + e.getMessage());
            return 2;
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String kv : sparkConf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                err.println("autogaze run: --conf " + kv + " is not key=value");
                return 2;
            }
            settings.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        VideoDataset.Listing videos;
        try {
            // Listing and the output check need Hadoop only: no Spark class is touched before they pass, since
            // Spark's first SparkConf.set resolves the host and logs its hostname WARN lines above the error.
            Configuration hadoop = listingConf(settings);
            videos = VideoListing.list(options, hadoop);
            OutputTarget.check(options.output(), hadoop);
        } catch (IllegalArgumentException | java.io.IOException e) {
            err.println("autogaze run: " + e.getMessage());
            return 2;
        }
        SparkConf conf = new SparkConf();
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        settings.forEach(conf::set);
        err.println("autogaze run: " + videos.videos().size() + " videos"
                + (videos.rejected().isEmpty() ? "" : " (and " + videos.rejected().size() + " manifest rows naming none"
                + ", written as MANIFEST error rows; first: " + videos.rejected().get(0).reason() + ")")
                + ", gaze source " + options.gazeSource() + ", " + options.sampling().describe());
        SparkSession spark = SparkSession.builder().appName("autogaze").config(conf).getOrCreate();
        try {
            RunSummary s;
            try {
                s = new AutogazeJob(spark, options, ProcessorFactory.standard(), err).run(videos);
            } catch (OutputConflictException e) {
                err.println("autogaze run: " + e.getMessage());
                return 2;
            } catch (Exception e) {
                // Spark has logged the details; the user needs the cause, and how to go on.
                err.println("autogaze run: the job failed: " + rootCause(e) + " (the wave in flight was not"
                        + " published; fix the cause and rerun with --mode resume)");
                return 1;
            }
            System.out.printf("videos:  %d listed, %d skipped (resume), %d processed, %d with errors%n",
                    s.videosListed(), s.videosSkipped(), s.videosProcessed(), s.errorVideos());
            System.out.printf("clips:   %d rows, %.2f clips/s (%s)%n", s.clips(), s.clipsPerSecond(), s.gazeSource());
            System.out.println("parquet: " + s.clipsPath());
            System.out.println("errors:  " + s.errorsPath());
            System.out.println("summary: " + s.summaryPath());
            return 0;
        } finally {
            spark.stop();
        }
    }
}
