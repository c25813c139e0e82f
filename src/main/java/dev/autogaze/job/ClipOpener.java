package dev.autogaze.job;

import dev.autogaze.video.ClipStream;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.LocalVideoFile;
import dev.autogaze.video.SamplingOptions;
import dev.autogaze.video.VideoDecodeException;
import org.apache.hadoop.conf.Configuration;

import java.nio.file.Path;

/** Opens a video as a stream of decoded clips; the seam that lets the processor be tested with hand-made clips. */
@FunctionalInterface
public interface ClipOpener {

    /** Clips of one video, one at a time; next() returns null at the end. */
    interface Clips extends AutoCloseable {
        DecodedClip next() throws VideoDecodeException;

        /** Takes back a clip whose rows are built, so its frame arrays can be reused; default: nothing. */
        default void recycle(DecodedClip clip) {
        }

        @Override
        void close();
    }

    Clips open(VideoTask video) throws VideoDecodeException;

    /** The video library's FFmpeg decoder, after copying non-local files to {@code tmpDir} (shard members are streamed). */
    static ClipOpener ffmpeg(SamplingOptions sampling, Configuration hadoopConf, Path tmpDir) {
        return video -> {
            LocalVideoFile local = LocalVideoFile.open(video.toRef(), hadoopConf, tmpDir);
            try {
                return clips(ClipStream.open(video.toRef(), local, sampling, video.clipFrom(), video.clipTo()),
                        local::close);
            } catch (VideoDecodeException | RuntimeException e) {
                local.close();
                throw e;
            }
        };
    }

    /** The FFmpeg decoder over paths of this machine's file system, without Hadoop (bench-pipeline, tests). */
    static ClipOpener localFiles(SamplingOptions sampling) {
        return video -> {
            if (video.isRange() || video.member() != null) {
                throw new IllegalArgumentException("local files open whole videos: " + video.videoId());
            }
            return clips(ClipStream.open(video.toRef(), Path.of(video.path()), sampling), () -> { });
        };
    }

    private static Clips clips(ClipStream stream, Runnable afterClose) {
        return new Clips() {
            @Override
            public DecodedClip next() throws VideoDecodeException {
                return stream.next();
            }

            @Override
            public void recycle(DecodedClip clip) {
                stream.recycle(clip);
            }

            @Override
            public void close() {
                stream.close();
                afterClose.run();
            }
        };
    }
}
