package dev.autogaze.cli;

import dev.autogaze.video.ClipPlan;
import dev.autogaze.video.LocalVideoFile;
import dev.autogaze.video.SamplingOptions;
import dev.autogaze.video.VideoDecodeException;
import dev.autogaze.video.VideoInfo;
import dev.autogaze.video.VideoScan;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Shows what the job would see in one video: container facts, the frames that really decode, and the clip plan. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Show a video's container, streams, frame count, fps, size and the clip plan the job would use.")
public final class ProbeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "A video: local path or any Hadoop URI.")
    String file;

    @Option(names = "--start-sec", description = "Window start in seconds (as a manifest's start_sec).")
    Double startSec;

    @Option(names = "--end-sec", description = "Window end in seconds (as a manifest's end_sec).")
    Double endSec;

    @Option(names = "--show-clips", defaultValue = "20", description = "Print at most this many clips of the plan.")
    int showClips;

    @Mixin
    SamplingMixin sampling;

    @Override
    public Integer call() {
        SamplingOptions options = sampling.toOptions();
        PrintStream out = System.out;
        try (LocalVideoFile local = LocalVideoFile.open(file, new Configuration(), Path.of(System.getProperty("java.io.tmpdir")))) {
            VideoScan scan = VideoScan.of(local.path(), file, options);
            VideoInfo info = scan.info();
            out.printf("file        %s%n", file);
            out.printf("container   %s, duration %s%n", info.container(), seconds(info.durationSec()));
            for (VideoInfo.StreamInfo s : info.streams()) {
                out.printf("stream      %s%n", s);
            }
            out.printf(Locale.ROOT, "video       %s %dx%d, %.3f fps, %d frames (container's claim)%n",
                    info.videoCodec(), info.width(), info.height(), info.fps(), info.frameCount());
            double[] ts = scan.timestampsSec();
            out.printf(Locale.ROOT, "decoded     %d frames, %s .. %s, %.3f fps measured, %s frame rate%n",
                    scan.frameCount(), ts.length > 0 ? seconds(ts[0]) : "-", ts.length > 0 ? seconds(ts[ts.length - 1]) : "-",
                    scan.measuredFps(), scan.variableFrameRate() ? "VARIABLE" : "constant");
            double start = startSec == null ? 0 : startSec;
            double end = endSec == null ? Double.POSITIVE_INFINITY : endSec;
            ClipPlan plan = scan.plan(options, start, end);
            out.printf("sampling    %s, window [%s, %s)%n", options.describe(), seconds(start),
                    endSec == null ? "end" : seconds(end));
            out.printf("clip plan   %d clips from %d sampled frames%n", plan.clips().size(), plan.sampledFrames());
            int shown = 0;
            for (ClipPlan.PlannedClip c : plan.clips()) {
                if (shown++ == showClips) {
                    out.printf("  ... %d more%n", plan.clips().size() - showClips);
                    break;
                }
                out.printf("  %s%n", describe(c));
            }
            if (plan.clips().isEmpty()) {
                out.println("  (no clip: the decode would fail at stage SAMPLE)");
            }
            return 0;
        } catch (VideoDecodeException e) {
            System.err.printf("probe: %s%n  path: %s%n  stage: %s%n  message: %s%n", e.getMessage(), e.path(),
                    e.stage(), e.detail());
            return 2;
        }
    }

    /** {@code clip 0: frames 0..15 step 1, 0.000..0.625 s} with the padding noted. */
    static String describe(ClipPlan.PlannedClip c) {
        int[] f = c.frameIndices();
        double[] t = c.timestampsSec();
        int real = f.length - c.paddedFrames();
        StringBuilder s = new StringBuilder("clip " + c.clipIndex() + ": frames ");
        int step = real > 1 ? f[1] - f[0] : 1;
        boolean regular = true;
        for (int i = 1; i < real; i++) {
            regular &= f[i] - f[i - 1] == step;
        }
        if (regular && real > 2) {
            s.append(f[0]).append("..").append(f[real - 1]).append(" step ").append(step);
        } else {
            s.append(java.util.Arrays.toString(java.util.Arrays.copyOf(f, real)));
        }
        s.append(String.format(Locale.ROOT, ", %.3f..%.3f s", t[0], t[real - 1]));
        if (c.paddedFrames() > 0) {
            s.append(", + ").append(c.paddedFrames()).append(" repeats of frame ").append(f[real - 1]);
        }
        return s.toString();
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "unknown" : String.format(Locale.ROOT, "%.3f s", s);
    }
}
