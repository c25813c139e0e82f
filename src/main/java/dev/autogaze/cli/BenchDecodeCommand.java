package dev.autogaze.cli;

import dev.autogaze.video.ClipStream;
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

    private static final Pattern RTIME = Pattern.compile("rtime=([0-9.]+)s");

    @Parameters(index = "0", paramLabel = "FILE", description = "A local video file.")
    Path file;

    @Option(names = "--repeat", defaultValue = "5", description = "Decode passes per measurement (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--ffmpeg", defaultValue = "ffmpeg", description = "The ffmpeg binary (skipped if not found).")
    String ffmpeg;

    @Override
    public Integer call() throws Exception {
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat " + repeat + " must be >= 1");
        }
        System.out.printf("file %s, %d passes per measurement%n", file, repeat);
        System.out.printf("%-8s %-14s %10s %10s %8s%n", "threads", "decoder", "frames", "frames/s", "ratio");
        for (int threads : new int[]{1, 0}) {
            SamplingOptions options = SamplingOptions.defaults().withDecodeThreads(threads);
            javaPass(options, 1); // warm-up: native libraries, JIT
            double[] j = javaPass(options, repeat);
            double[] f = ffmpegPass(threads);
            String label = threads == 0 ? "default" : Integer.toString(threads);
            System.out.printf(Locale.ROOT, "%-8s %-14s %10d %10.1f %8s%n", label, "autogaze", (long) j[0], j[0] / j[1], "");
            if (f == null) {
                System.out.printf("%-8s %-14s (ffmpeg binary '%s' not found)%n", label, "ffmpeg -f null", ffmpeg);
            } else {
                System.out.printf(Locale.ROOT, "%-8s %-14s %10d %10.1f %8.2f%n", label, "ffmpeg -f null", (long) f[0],
                        f[0] / f[1], (j[0] / j[1]) / (f[0] / f[1]));
            }
        }
        return 0;
    }

    /** {frames, seconds} for {@code passes} full decodes through {@link ClipStream}. */
    private double[] javaPass(SamplingOptions options, int passes) throws VideoDecodeException {
        long frames = 0;
        long t0 = System.nanoTime();
        for (int p = 0; p < passes; p++) {
            try (ClipStream clips = ClipStream.open(VideoRef.of(file.toString()), file, options)) {
                while (clips.next() != null) {
                    // the clips are the product; dropping them keeps memory flat
                }
                frames += clips.decodedFrames();
            }
        }
        return new double[]{frames, (System.nanoTime() - t0) / 1e9};
    }

    /** {frames, seconds} from ffmpeg's own -benchmark real time, looping the input {@code repeat} times. */
    private double[] ffmpegPass(int threads) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-benchmark",
                "-stream_loop", Integer.toString(repeat - 1), "-threads", Integer.toString(threads),
                "-i", file.toString(), "-map", "0:v:0", "-pix_fmt", "rgb24", "-f", "null", "-"));
        System.out.println("  $ " + String.join(" ", cmd));
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
        Matcher rtime = RTIME.matcher(output);
        Matcher frames = Pattern.compile("frame=\\s*([0-9]+)").matcher(output);
        long n = -1;
        while (frames.find()) {
            n = Long.parseLong(frames.group(1));
        }
        if (!rtime.find() || n < 0) {
            throw new IOException("cannot find frame= and rtime= in ffmpeg's output:\n" + output);
        }
        return new double[]{n, Double.parseDouble(rtime.group(1))};
    }
}
