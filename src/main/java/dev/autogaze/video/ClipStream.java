package dev.autogaze.video;

import org.bytedeco.javacv.Frame;

import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * Clips of one video, decoded lazily one at a time: only the frames of the clip being filled are held, so a long
 * video never sits in memory whole. Close it (try-with-resources) to free the native decoder.
 *
 * <pre>{@code
 * try (ClipStream clips = ClipStream.open(ref, localFile, options)) {
 *     for (DecodedClip c = clips.next(); c != null; c = clips.next()) { ... }
 * }
 * }</pre>
 */
public final class ClipStream implements AutoCloseable {

    private final VideoRef ref;
    private final SamplingOptions options;
    private final OpenedVideo video;
    /** Bytes of one RGB frame of this video: the size of the pool's arrays it takes and gives. */
    private final int frameBytes;
    private final ClipAssembler<byte[]> assembler;
    private final ArrayDeque<ClipAssembler.Clip<byte[]>> ready = new ArrayDeque<>();
    /** Frame arrays handed back by {@link #recycle} (by any stream of the JVM), possibly from another thread. */
    private final FramePool pool = FramePool.shared();
    private boolean ended;
    /** Thrown once the clips decoded before it are returned (see {@link #end}). */
    private VideoDecodeException shortStream;
    private int returned;

    private final int firstClip;

    private ClipStream(VideoRef ref, SamplingOptions options, OpenedVideo video, int firstClip, int endClip) {
        this.ref = ref;
        this.options = options;
        this.video = video;
        this.frameBytes = video.info().width() * video.info().height() * 3;
        this.firstClip = firstClip;
        this.assembler = new ClipAssembler<>(options, ref.windowStartSec(), ref.windowEndSec(), firstClip, endClip);
    }

    /**
     * Opens {@code localFile} (the local form of {@code ref.path()}, see {@link LocalVideoFile}) and checks it up to
     * the first frame; errors name {@code ref.path()}.
     */
    public static ClipStream open(VideoRef ref, Path localFile, SamplingOptions options) throws VideoDecodeException {
        return new ClipStream(ref, options, OpenedVideo.open(localFile, ref.path(), options), 0, 0);
    }

    /** Like {@link #open(VideoRef, Path, SamplingOptions)}, for a local file or a stream ({@link LocalVideoFile}). */
    public static ClipStream open(VideoRef ref, LocalVideoFile video, SamplingOptions options)
            throws VideoDecodeException {
        return open(ref, video, options, 0, 0);
    }

    /**
     * Clips {@code firstClip} to {@code endClip} (exclusive; 0 = the end) only, for one range of a video split across
     * tasks: exactly those clips of the whole video, found by decoding from the start (earlier frames are not
     * converted). A range past the video's last clip is empty, not an error.
     */
    public static ClipStream open(VideoRef ref, LocalVideoFile video, SamplingOptions options, int firstClip,
                                  int endClip) throws VideoDecodeException {
        OpenedVideo opened = OpenedVideo.open(video, ref.path(), options);
        try {
            return new ClipStream(ref, options, opened, firstClip, endClip);
        } catch (IllegalArgumentException e) {
            opened.close();
            throw e;
        }
    }

    /** What the container says (size, fps, codec, streams). */
    public VideoInfo info() {
        return video.info();
    }

    /** Frames decoded so far. */
    public int decodedFrames() {
        return video.grabbed();
    }

    /**
     * The next clip, or null when the video has no more. Throws rather than returning null first if the video
     * yields no clip at all (nothing decodable, nothing in the window, or too short under DROP).
     */
    public DecodedClip next() throws VideoDecodeException {
        // The decode time limit counts the time spent in here only: what the caller does between clips is not
        // decoding (a slow consumer must not make a healthy video time out).
        video.resumeClock();
        try {
            return decodeNext();
        } finally {
            video.pauseClock();
        }
    }

    /** Decoding time charged to the time limit so far: opening plus the calls to {@link #next}. */
    public long decodeNanos() {
        return video.decodeNanos();
    }

    private DecodedClip decodeNext() throws VideoDecodeException {
        while (ready.isEmpty() && !ended) {
            if (assembler.isFinished()) {
                end(false);
                break;
            }
            int index = video.grabbed();
            boolean lazy = OpenedVideo.canConvertLater();
            Frame f = video.grab(!lazy && assembler.mayKeep(index));
            if (f == null) {
                end(true);
                break;
            }
            double ts = video.timestampSec(f);
            try {
                ready.addAll(assembler.offer(index, ts, lazy ? () -> convert(f)
                        : () -> video.rgb(f, pool.take(frameBytes))));
            } catch (ConversionFailure e) {
                throw e.failure;
            }
        }
        ClipAssembler.Clip<byte[]> c = ready.poll();
        if (c == null) {
            if (shortStream != null) {
                VideoDecodeException e = shortStream;
                shortStream = null;
                throw e;
            }
            return null;
        }
        returned++;
        VideoInfo info = video.info();
        RgbClip rgb = new RgbClip(info.width(), info.height(), c.frames().toArray(new byte[0][]));
        return new DecodedClip(ref.videoId(), c.clipIndex(), c.frameIndices(), c.timestampsSec(), c.paddedFrames(),
                rgb, info.width(), info.height());
    }

    /** Carries a checked conversion failure out of the assembler's payload supplier. */
    private static final class ConversionFailure extends RuntimeException {
        final VideoDecodeException failure;

        ConversionFailure(VideoDecodeException failure) {
            super(failure);
            this.failure = failure;
        }
    }

    private byte[] convert(Frame f) {
        try {
            return video.convertedCopy(f, pool.take(frameBytes));
        } catch (VideoDecodeException e) {
            throw new ConversionFailure(e);
        }
    }

    /**
     * Hands a clip's frame arrays back for reuse by later clips of any video (FramePool), sparing an allocation per
     * frame; the caller must not touch {@code clip} afterwards. Ignored when clips overlap (clip stride < T), where
     * later clips share frames.
     * The one method that may be called from another thread than {@link #next}, also concurrently with it.
     */
    public void recycle(DecodedClip clip) {
        if (options.effectiveClipStride() < options.clipLength() || !clip.videoId().equals(ref.videoId())) {
            return;
        }
        byte[][] frames = clip.frames().frames();
        for (int i = 0; i < frames.length; i++) {
            if (frames[i].length == frameBytes && (i == 0 || frames[i] != frames[i - 1])) {
                pool.give(frames[i]); // padding repeats the last array: given once
            }
        }
    }

    /**
     * @param endOfStream the decoder ran dry (not: the clips wanted were complete). Then a stream shorter than the
     *                    container's index is reported after the clips it did yield, which stay valid.
     */
    private void end(boolean endOfStream) throws VideoDecodeException {
        ended = true;
        ready.addAll(assembler.finish());
        if (returned == 0 && ready.isEmpty() && (firstClip == 0 || assembler.clipsEmitted() == 0)) {
            throw new VideoDecodeException(ref.path(), noClipStage(), noClipReason());
        }
        int indexed = video.indexedFrames();
        if (endOfStream && indexed > 0 && video.grabbed() < indexed) {
            String log = FfmpegLog.recent();
            shortStream = new VideoDecodeException(ref.path(), DecodeStage.DECODE, "decoding ended after "
                    + video.grabbed() + " of the " + indexed + " frames the container indexes (a truncated or damaged"
                    + " file)" + (log.isEmpty() ? "" : ": " + log));
        }
    }

    private DecodeStage noClipStage() {
        return video.grabbed() == 0 ? DecodeStage.DECODE : DecodeStage.SAMPLE;
    }

    private String noClipReason() {
        if (video.grabbed() == 0) {
            return "no frame could be decoded (container claims " + video.info().frameCount() + " frames)";
        }
        if (assembler.sampledFrames() == 0) {
            return "none of the " + video.grabbed() + " decoded frames falls in the window [" + ref.windowStartSec()
                    + ", " + ref.windowEndSec() + ") s";
        }
        return "only " + assembler.sampledFrames() + " frames sampled (" + options.describe()
                + "), fewer than clip length " + options.clipLength() + ", and the last-clip policy is DROP";
    }

    @Override
    public void close() {
        video.close();
    }
}
