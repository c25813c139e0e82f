package dev.autogaze.video;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic sample videos (moving shapes on a seeded textured background) written through FFmpeg, for the demo
 * and the tests: the content is a pure function of the spec and frame number, so a decoded frame can be checked
 * against {@link #frame}.
 */
public final class SampleVideos {

    /** The codecs the sample set uses, with their container and the pixel format they store. */
    public enum Codec {
        H264("mp4", "mp4", "libopenh264", avutil.AV_PIX_FMT_YUV420P),
        VP9("webm", "webm", "libvpx-vp9", avutil.AV_PIX_FMT_YUV420P),
        /** Lossless: decoded frames equal the generated ones exactly. */
        FFV1("mkv", "matroska", "ffv1", avutil.AV_PIX_FMT_BGR0),
        MPEG4("mp4", "mp4", "mpeg4", avutil.AV_PIX_FMT_YUV420P);

        final String extension;
        final String format;
        final String encoder;
        final int pixelFormat;

        Codec(String extension, String format, String encoder, int pixelFormat) {
            this.extension = extension;
            this.format = format;
            this.encoder = encoder;
            this.pixelFormat = pixelFormat;
        }

        public String extension() {
            return extension;
        }
    }

    /** One sample video: size, length, rate, codec and the seed of its background and shapes. */
    public record Spec(String name, int width, int height, int frames, int fps, Codec codec, long seed) {
        public Spec {
            if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException("sample size " + width + "x" + height + " must be even and >= 16");
            }
            if (frames < 1 || fps < 1) {
                throw new IllegalArgumentException("sample frames " + frames + " and fps " + fps + " must be >= 1");
            }
        }

        public String fileName() {
            return name + "." + codec.extension;
        }
    }

    /** The default set: three sizes, H.264 and VP9, 2 s each at 24 fps. */
    public static final List<Spec> DEFAULT_SET = List.of(
            new Spec("shapes_320x240_h264", 320, 240, 48, 24, Codec.H264, 1),
            new Spec("shapes_224x224_vp9", 224, 224, 48, 24, Codec.VP9, 2),
            new Spec("shapes_640x360_h264", 640, 360, 48, 24, Codec.H264, 3));

    static {
        FfmpegLog.install(); // the encoders' banners and rate-control notes are noise in job and test logs
    }

    /** Longer files for `bench-decode` (not part of the default set: 10 s each). */
    public static final List<Spec> BENCH_SET = List.of(
            new Spec("bench_640x360_h264", 640, 360, 300, 30, Codec.H264, 4),
            new Spec("bench_640x360_vp9", 640, 360, 300, 30, Codec.VP9, 5));

    private SampleVideos() {
    }

    /** Writes {@link #DEFAULT_SET} into {@code dir} (created if needed) and returns the files in order. */
    public static List<Path> writeDefaultSet(Path dir) throws IOException {
        return writeSet(dir, DEFAULT_SET);
    }

    /** Writes each spec into {@code dir} (created if needed) as {@code spec.fileName()}; returns the files in order. */
    public static List<Path> writeSet(Path dir, List<Spec> specs) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (Spec s : specs) {
            Path file = dir.resolve(s.fileName());
            write(file, s);
            out.add(file);
        }
        return out;
    }

    /** Writes one sample video at a constant frame rate. */
    public static void write(Path file, Spec spec) throws IOException {
        long[] ts = new long[spec.frames()];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = Math.round(i * 1e6 / spec.fps());
        }
        write(file, spec, ts);
    }

    /**
     * Writes one sample video whose frame i is shown at {@code timestampsMicros[i]} (strictly increasing), which
     * makes variable-frame-rate files when the gaps differ.
     */
    public static void write(Path file, Spec spec, long[] timestampsMicros) throws IOException {
        if (timestampsMicros.length != spec.frames()) {
            throw new IllegalArgumentException(timestampsMicros.length + " timestamps for " + spec.frames() + " frames");
        }
        Background bg = new Background(spec);
        Frame frame = new Frame(spec.width(), spec.height(), Frame.DEPTH_UBYTE, 3);
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        byte[] rgb = new byte[spec.width() * spec.height() * 3];
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), spec.width(), spec.height(), 0)) {
            r.setFormat(spec.codec().format);
            r.setVideoCodecName(spec.codec().encoder);
            r.setPixelFormat(spec.codec().pixelFormat);
            r.setFrameRate(spec.fps());
            r.setGopSize(spec.fps());
            if (spec.codec() != Codec.FFV1) {
                r.setVideoBitrate(spec.width() * spec.height() * 4);
            }
            if (spec.codec() == Codec.VP9) {
                r.setVideoOption("deadline", "realtime");
                r.setVideoOption("cpu-used", "8");
            }
            r.start();
            for (int t = 0; t < spec.frames(); t++) {
                bg.render(t, rgb);
                // JavaCV pads frame rows to 8 bytes (an 18-pixel row is 56 bytes, not 54)
                int row = spec.width() * 3;
                for (int y = 0; y < spec.height(); y++) {
                    buf.put(y * frame.imageStride, rgb, y * row, row);
                }
                if (timestampsMicros != null) {
                    r.setTimestamp(timestampsMicros[t]);
                }
                r.record(frame, avutil.AV_PIX_FMT_RGB24);
            }
            r.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException("cannot write sample video " + file + " (" + spec + "): " + e.getMessage(), e);
        }
    }

    /** The generated RGB content of frame {@code t} of {@code spec}, as the encoder received it. */
    public static byte[] frame(Spec spec, int t) {
        byte[] rgb = new byte[spec.width() * spec.height() * 3];
        new Background(spec).render(t, rgb);
        return rgb;
    }

    /** Seeded texture plus three shapes moving at constant velocity and bouncing off the edges. */
    private static final class Background {
        private final Spec spec;
        private final byte[] texture;
        private final double[][] shapes; // x, y, vx, vy, size, r, g, b

        Background(Spec spec) {
            this.spec = spec;
            int w = spec.width();
            int h = spec.height();
            SplittableRandom rnd = new SplittableRandom(spec.seed());
            texture = new byte[w * h * 3];
            int[][] tint = new int[(h + 7) / 8 * ((w + 7) / 8)][3];
            for (int[] t : tint) {
                for (int c = 0; c < 3; c++) {
                    t[c] = rnd.nextInt(-24, 25);
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int[] t = tint[(y / 8) * ((w + 7) / 8) + x / 8];
                    double stripes = 30 * Math.sin((x + 2 * y) * 0.08);
                    int i = (y * w + x) * 3;
                    texture[i] = clamp(90 + 60.0 * x / w + stripes + t[0]);
                    texture[i + 1] = clamp(110 + 50.0 * y / h - stripes + t[1]);
                    texture[i + 2] = clamp(120 + t[2]);
                }
            }
            shapes = new double[3][];
            for (int s = 0; s < 3; s++) {
                double size = Math.min(w, h) * (0.12 + 0.06 * s);
                shapes[s] = new double[]{rnd.nextDouble(size, w - size), rnd.nextDouble(size, h - size),
                        rnd.nextDouble(-4, 4), rnd.nextDouble(-3, 3), size,
                        s == 0 ? 255 : rnd.nextInt(40, 256), s == 1 ? 255 : rnd.nextInt(0, 80),
                        s == 2 ? 255 : rnd.nextInt(0, 80)};
            }
        }

        void render(int t, byte[] rgb) {
            System.arraycopy(texture, 0, rgb, 0, texture.length);
            int w = spec.width();
            int h = spec.height();
            for (int s = 0; s < shapes.length; s++) {
                double[] p = shapes[s];
                double size = p[4];
                double cx = bounce(p[0] + p[2] * t, size, w - size);
                double cy = bounce(p[1] + p[3] * t, size, h - size);
                int x0 = (int) Math.max(0, cx - size);
                int x1 = (int) Math.min(w - 1, cx + size);
                int y0 = (int) Math.max(0, cy - size);
                int y1 = (int) Math.min(h - 1, cy + size);
                for (int y = y0; y <= y1; y++) {
                    for (int x = x0; x <= x1; x++) {
                        double dx = x - cx;
                        double dy = y - cy;
                        boolean inside = s == 1 ? Math.abs(dx) <= size * 0.8 && Math.abs(dy) <= size * 0.8
                                : dx * dx + dy * dy <= size * size;
                        if (inside) {
                            int i = (y * w + x) * 3;
                            rgb[i] = (byte) p[5];
                            rgb[i + 1] = (byte) p[6];
                            rgb[i + 2] = (byte) p[7];
                        }
                    }
                }
            }
        }

        private static double bounce(double v, double lo, double hi) {
            double span = hi - lo;
            double u = ((v - lo) % (2 * span) + 2 * span) % (2 * span);
            return lo + (u <= span ? u : 2 * span - u);
        }

        private static byte clamp(double v) {
            return (byte) Math.max(0, Math.min(255, Math.round(v)));
        }
    }
}
