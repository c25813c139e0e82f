package dev.autogaze.cli;

import dev.autogaze.video.ClipStream;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.LocalVideoFile;
import dev.autogaze.video.SamplingOptions;
import dev.autogaze.video.VideoDecodeException;
import dev.autogaze.video.VideoRef;
import org.apache.hadoop.conf.Configuration;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decodes the frames a report needs again, by the decode-order indices the clip rows carry (frame_indices): the
 * video is read frame by frame with the video library (every frame, T = 1) until the last wanted index.
 */
final class ClipFrameDecoder {

    private ClipFrameDecoder() {
    }

    /** Where a clip's video is: in {@code videosDir} by video id or file name when given, else its source path. */
    static String locate(String videoId, String sourcePath, Path videosDir) {
        if (videosDir == null) {
            return sourcePath;
        }
        String name = sourcePath.substring(sourcePath.lastIndexOf('/') + 1);
        for (Path p : new Path[] {videosDir.resolve(videoId), videosDir.resolve(name)}) {
            if (Files.isRegularFile(p)) {
                return p.toString();
            }
        }
        return videosDir.resolve(name).toString(); // fails at OPEN with the path in the message
    }

    /** decode index -> frame, for every index in {@code wanted} (an index past the end is a SAMPLE error). */
    static Map<Integer, BufferedImage> frames(String videoId, String path, Set<Integer> wanted, Configuration conf)
            throws VideoDecodeException {
        TreeSet<Integer> todo = new TreeSet<>(wanted);
        Map<Integer, BufferedImage> out = new HashMap<>();
        SamplingOptions every = SamplingOptions.defaults().withEveryFrame().withClipLength(1);
        try (LocalVideoFile local = LocalVideoFile.open(path, conf, Path.of(System.getProperty("java.io.tmpdir")));
             ClipStream stream = ClipStream.open(new VideoRef(videoId, path, null, null, null, Map.of()),
                     local.path(), every)) {
            for (DecodedClip c = stream.next(); c != null && !todo.isEmpty(); c = stream.next()) {
                int index = c.frameIndices()[0];
                if (todo.remove(index)) {
                    out.put(index, ClipOverlay.image(c.frames(), 0));
                } else {
                    stream.recycle(c);
                }
            }
        }
        if (!todo.isEmpty()) {
            throw new VideoDecodeException(path, dev.autogaze.video.DecodeStage.SAMPLE, "frames " + todo
                    + " are past the last decodable frame");
        }
        return out;
    }

    /** The clip's frames in clip order (padding repeats share an image). */
    static BufferedImage[] inOrder(int[] frameIndices, Map<Integer, BufferedImage> frames) {
        return Arrays.stream(frameIndices).mapToObj(frames::get).toArray(BufferedImage[]::new);
    }
}
