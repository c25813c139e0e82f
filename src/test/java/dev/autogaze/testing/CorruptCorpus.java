package dev.autogaze.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The corrupt-input corpus of docs/reliability.md, written with the ffmpeg command line (apt-get install ffmpeg)
 * and byte surgery on its output: one file (or link, or folder) per kind, each named after its kind. Deterministic
 * for a given ffmpeg: every damage uses a fixed seed or a fixed offset.
 */
public final class CorruptCorpus {

    /** One kind: {@code file} is what the manifest lists; {@code good} when a clean run should take it whole. */
    public record Item(String kind, Path file, boolean good) {
    }

    private CorruptCorpus() {
    }

    /** Fails with the install hint when the ffmpeg command line is missing. */
    public static void requireFfmpeg() throws IOException, InterruptedException {
        try {
            ffmpeg(List.of("-version"));
        } catch (IOException e) {
            throw new IOException("the corrupt-input corpus needs the ffmpeg command line (apt-get install ffmpeg): "
                    + e.getMessage(), e);
        }
    }

    /** Runs ffmpeg with these arguments (after -v error -y); a failure is an IOException with its output. */
    public static void ffmpeg(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    private static Path encode(Path dir, String name, String source, String... output)
            throws IOException, InterruptedException {
        Path file = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", source));
        args.addAll(Arrays.asList(output));
        args.add(file.toString());
        ffmpeg(args);
        return file;
    }

    private static String testsrc(int w, int h, int fps) {
        return "testsrc2=size=" + w + "x" + h + ":rate=" + fps;
    }

    /** Writes every kind into {@code dir}; good kinds first, in a stable order. */
    public static List<Item> write(Path dir) throws IOException, InterruptedException {
        requireFfmpeg();
        Files.createDirectories(dir);
        List<Item> items = new ArrayList<>();
        String[] h264 = {"-c:v", "libx264", "-preset", "ultrafast", "-g", "8"};
        // good, if unusual
        items.add(new Item("one-frame", encode(dir, "one-frame.mp4", testsrc(96, 64, 10), cat(h264, "-frames:v", "1",
                "-pix_fmt", "yuv420p")), true));
        items.add(new Item("five-frames", encode(dir, "five-frames.mp4", testsrc(96, 64, 10), cat(h264, "-frames:v", "5",
                "-pix_fmt", "yuv420p")), true));
        items.add(new Item("16x16", encode(dir, "16x16.mp4", testsrc(16, 16, 10), cat(h264, "-frames:v", "20",
                "-pix_fmt", "yuv420p")), true));
        items.add(new Item("8x8", encode(dir, "8x8.mkv", testsrc(8, 8, 10), "-frames:v", "20", "-c:v", "ffv1"), true));
        items.add(new Item("223x97", encode(dir, "223x97.mkv", testsrc(224, 96, 10), "-frames:v", "20", "-vf", "scale=223:97", "-c:v", "ffv1",
                "-pix_fmt", "yuv444p"), true));
        items.add(new Item("4000x16", encode(dir, "4000x16.mp4", testsrc(4000, 16, 10), cat(h264, "-frames:v", "20",
                "-pix_fmt", "yuv420p")), true));
        items.add(new Item("4k", encode(dir, "4k.mp4", testsrc(3840, 2160, 10), cat(h264, "-frames:v", "3",
                "-pix_fmt", "yuv420p")), true));
        items.add(new Item("10-bit", encode(dir, "10-bit.mkv", testsrc(96, 64, 10), "-frames:v", "20", "-c:v", "ffv1",
                "-pix_fmt", "yuv420p10le"), true));
        items.add(new Item("yuv444", encode(dir, "yuv444.mp4", testsrc(96, 64, 10), cat(h264, "-frames:v", "20",
                "-pix_fmt", "yuv444p")), true));
        items.add(new Item("gray", encode(dir, "gray.mkv", testsrc(96, 64, 10), "-frames:v", "20", "-c:v", "ffv1",
                "-pix_fmt", "gray"), true));
        items.add(new Item("rotation", encode(dir, "rotation.mp4", testsrc(96, 64, 10), cat(h264, "-frames:v", "20",
                "-pix_fmt", "yuv420p", "-metadata:s:v:0", "rotate=90")), true));
        items.add(new Item("variable-frame-rate", encode(dir, "variable-frame-rate.mkv", testsrc(96, 64, 50),
                "-frames:v", "30", "-vf", "setpts='if(lt(N,10),N*5,50+(N-10))'", "-fps_mode", "vfr", "-c:v", "ffv1"),
                true));
        items.add(new Item("mislabelled", encode(dir, "mislabelled.mp4", testsrc(96, 64, 10), "-frames:v", "20",
                "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-f", "webm"), true));
        items.add(new Item("gif", encode(dir, "anim.gif", testsrc(64, 48, 10), "-frames:v", "12"), true));
        items.add(new Item("png", encode(dir, "still.png", testsrc(64, 48, 10), "-frames:v", "1"), true));

        // bad
        Path base = encode(dir, "base.tmp.mp4", testsrc(96, 64, 10), cat(h264, "-frames:v", "40", "-pix_fmt",
                "yuv420p"));
        Path fast = encode(dir, "fast.tmp.mp4", testsrc(96, 64, 10), cat(h264, "-frames:v", "40", "-pix_fmt",
                "yuv420p", "-movflags", "+faststart"));
        byte[] b = Files.readAllBytes(base);
        byte[] f = Files.readAllBytes(fast);
        items.add(new Item("empty", Files.write(dir.resolve("empty.mp4"), new byte[0]), false));
        items.add(new Item("random-bytes", Files.write(dir.resolve("random-bytes.mp4"), random(40_000, 1)), false));
        items.add(new Item("text", Files.writeString(dir.resolve("text.mp4"), "not a video\n".repeat(500)), false));
        for (int pct : new int[] {5, 50, 95}) {
            items.add(new Item("truncated-" + pct, Files.write(dir.resolve("truncated-" + pct + ".mp4"),
                    Arrays.copyOf(f, f.length * pct / 100)), false));
        }
        items.add(new Item("missing-moov", Files.write(dir.resolve("missing-moov.mp4"),
                Arrays.copyOf(b, indexOf(b, "moov") - 4)), false));
        byte[] corruptMoov = f.clone();
        int moov = indexOf(corruptMoov, "moov");
        byte[] noise = random(200, 2);
        System.arraycopy(noise, 0, corruptMoov, moov + 40, noise.length);
        items.add(new Item("corrupt-moov", Files.write(dir.resolve("corrupt-moov.mp4"), corruptMoov), false));
        byte[] flipped = b.clone();
        SplittableRandom rnd = new SplittableRandom(3);
        int mdat = indexOf(flipped, "mdat");
        for (int i = 0; i < 400; i++) {
            int at = mdat + 8 + flipped.length / 3 + rnd.nextInt(flipped.length / 3);
            if (at < indexOf(flipped, "moov") - 8) {
                flipped[at] ^= (byte) (1 << rnd.nextInt(8));
            }
        }
        items.add(new Item("bit-flips", Files.write(dir.resolve("bit-flips.mp4"), flipped), false));
        byte[] headerGarbage = Arrays.copyOf(f, f.length);
        byte[] tail = random(f.length - 2048, 4);
        System.arraycopy(tail, 0, headerGarbage, 2048, tail.length);
        items.add(new Item("header-then-garbage", Files.write(dir.resolve("header-then-garbage.mp4"), headerGarbage),
                false));
        items.add(new Item("audio-only", encode(dir, "audio-only.mkv", "sine=frequency=440:duration=1", "-c:a",
                "pcm_s16le"), false));
        Path link = dir.resolve("dangling-symlink.mp4");
        Files.createSymbolicLink(link, dir.resolve("deleted/gone.mp4"));
        items.add(new Item("dangling-symlink", link, false));
        items.add(new Item("folder", Files.createDirectories(dir.resolve("folder.mp4")), false));
        items.add(new Item("long-video", encode(dir, "long-video.mp4", testsrc(32, 32, 25), cat(h264, "-frames:v",
                "1000", "-pix_fmt", "yuv420p")), false));
        Files.delete(base);
        Files.delete(fast);
        return items;
    }

    private static String[] cat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] random(int n, long seed) {
        byte[] out = new byte[n];
        new SplittableRandom(seed).nextBytes(out);
        return out;
    }

    private static int indexOf(byte[] data, String fourcc) {
        byte[] k = fourcc.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + k.length <= data.length; i++) {
            for (int j = 0; j < k.length; j++) {
                if (data[i + j] != k[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("no " + fourcc + " box");
    }
}
