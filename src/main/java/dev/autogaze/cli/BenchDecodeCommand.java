package dev.autogaze.cli;

import dev.autogaze.video.ClipStream;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.SamplingOptions;
import dev.autogaze.video.VideoDecodeException;
import dev.autogaze.video.VideoRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decode throughput of the clip pipeline (decode, RGB24 conversion, copy into clips) against the ffmpeg CLI
 * decoding the same file to rgb24 into the null muxer, single-threaded and with FFmpeg's default threads.
 */
@Command(name = "bench-decode", mixinStandardHelpOptions = true,
        description = "Decode a video N times and print frames/s, next to `ffmpeg -f null` on the same file.")
public final class BenchDecodeCommand implements Callable<Integer> {

    private static final Pattern BENCH = Pattern.compile("utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s");

    @Parameters(index = "0", paramLabel = "FILE", description = "A local video file.")
    Path file;

    @Option(names = "--repeat", defaultValue = "5", description = "Decode passes per measurement (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--rounds", defaultValue = "3",
            description = "Measurements per side; the fastest is reported, which filters out other load (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--ffmpeg", defaultValue = "ffmpeg", description = "The ffmpeg binary (skipped if not found).")
    String ffmpeg;

    @Override
    public Integer call() throws Exception {
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat " + repeat + " must be >= 1");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds " + rounds + " must be >= 1");
        }
        System.out.printf("file %s, %d passes per measurement, best of %d rounds%n", file, repeat, rounds);
        System.out.printf("%-8s %-15s %7s %9s %9s %9s %9s %7s %7s%n", "threads", "decoder", "frames", "wall s",
                "fps wall", "cpu s", "fps cpu", "x wall", "x cpu");
        for (int threads : new int[]{1, 0}) {
            announced = false;
            SamplingOptions options = SamplingOptions.defaults().withDecodeThreads(threads);
            javaPass(options, 1); // warm-up: native libraries, JIT
            double[] j = null;
            double[] f = null;
            for (int r = 0; r < rounds; r++) { // alternate the sides so both see the same background load
                j = best(j, javaPass(options, repeat));
                double[] ff = ffmpegPass(threads);
                f = ff == null ? null : best(f, ff);
            }
            String label = threads == 0 ? "default" : Integer.toString(threads);
            row(label, "autogaze", j, null);
            if (f == null) {
                System.out.printf("%-8s %-15s (ffmpeg binary '%s' not found)%n", label, "ffmpeg -f null", ffmpeg);
            } else {
                row(label, "ffmpeg -f null", f, j);
            }
        }
        return 0;
    }

    /** Per column, the faster (lower time) of two {frames, wall, cpu} measurements. */
    private static double[] best(double[] a, double[] b) {
        return a == null ? b : new double[]{a[0], Math.min(a[1], b[1]), Math.min(a[2], b[2])};
    }

    /** One table row; {@code ratioTo} (our numbers) turns this row's rates into our-speed / its-speed ratios. */
    private static void row(String threads, String decoder, double[] m, double[] ratioTo) {
        String xWall = ratioTo == null ? "" : String.format(Locale.ROOT, "%.2f", (ratioTo[0] / ratioTo[1]) / (m[0] / m[1]));
        String xCpu = ratioTo == null ? "" : String.format(Locale.ROOT, "%.2f", (ratioTo[0] / ratioTo[2]) / (m[0] / m[2]));
        System.out.printf(Locale.ROOT, "%-8s %-15s %7d %9.3f %9.1f %9.3f %9.1f %7s %7s%n", threads, decoder,
                (long) m[0], m[1], m[0] / m[1], m[2], m[0] / m[2], xWall, xCpu);
    }

    /**
     * {frames, wall seconds, process CPU seconds} for {@code passes} full decodes through {@link ClipStream}. CPU
     * time (all threads of the process) is the fair measure on a shared machine; wall time is what a task waits.
     */
    private double[] javaPass(SamplingOptions options, int passes) throws VideoDecodeException {
        long frames = 0;
        long c0 = ProcessCpu.nanos();
        long t0 = System.nanoTime();
        for (int p = 0; p < passes; p++) {
            try (ClipStream clips = ClipStream.open(VideoRef.of(file.toString()), file, options)) {
                for (DecodedClip c = clips.next(); c != null; c = clips.next()) {
                    clips.recycle(c); // as a task does once the model has consumed the clip
                }
                frames += clips.decodedFrames();
            }
        }
        return new double[]{frames, (System.nanoTime() - t0) / 1e9, (ProcessCpu.nanos() - c0) / 1e9};
    }

    /** {frames, wall, CPU seconds} from ffmpeg's own -benchmark (rtime, utime + stime), looping the input. */
    private boolean announced;

    private double[] ffmpegPass(int threads) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-benchmark",
                "-stream_loop", Integer.toString(repeat - 1), "-threads", Integer.toString(threads),
                "-i", file.toString(), "-map", "0:v:0", "-pix_fmt", "rgb24", "-f", "null", "-"));
        if (!announced) {
            System.out.println("  $ " + String.join(" ", cmd));
        }
        announced = true;
        Process proc;
        try {
            proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (proc.waitFor() != 0) {
            throw new IOException("ffmpeg failed:\n" + output);
        }
        Matcher bench = BENCH.matcher(output);
        Matcher frames = Pattern.compile("frame=\\s*([0-9]+)").matcher(output);
        long n = -1;
        while (frames.find()) {
            n = Long.parseLong(frames.group(1));
        }
        if (!bench.find() || n < 0) {
            throw new IOException("cannot find frame= and utime/stime/rtime in ffmpeg's output:\n" + output);
        }
        return new double[]{n, Double.parseDouble(bench.group(3)),
                Double.parseDouble(bench.group(1)) + Double.parseDouble(bench.group(2))};
    }
}
