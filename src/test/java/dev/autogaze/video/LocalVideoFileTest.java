package dev.autogaze.video;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalVideoFileTest {

    /** A stand-in for hdfs:/s3a:: the local disk under another scheme, so the copy path runs for real. */
    public static final class RemoteFs extends RawLocalFileSystem {
        @Override
        public URI getUri() {
            return URI.create("remote:///");
        }
    }

    @TempDir
    Path dir;

    @Test
    void localPathsAndFileUrisAreUsedInPlace() throws Exception {
        Path video = Files.writeString(dir.resolve("v.mp4"), "x");
        for (String p : List.of(video.toString(), video.toUri().toString())) {
            try (LocalVideoFile f = LocalVideoFile.open(p, new Configuration(), dir.resolve("tmp"))) {
                assertEquals(video, f.path());
                assertFalse(f.isTemporary());
            }
        }
        assertTrue(Files.exists(video));
    }

    @Test
    void otherFileSystemsAreCopiedToATemporaryFileThatCloseDeletes() throws Exception {
        SampleVideos.Spec spec = TestVideos.spec("remote", 64, 48, 3, 10, SampleVideos.Codec.FFV1);
        Path video = TestVideos.write(dir, spec);
        Configuration conf = new Configuration();
        conf.set("fs.remote.impl", RemoteFs.class.getName());
        conf.setBoolean("fs.remote.impl.disable.cache", true);
        String uri = "remote://" + video;
        Path copy;
        try (LocalVideoFile f = LocalVideoFile.open(uri, conf, dir.resolve("tmp"))) {
            copy = f.path();
            assertTrue(f.isTemporary());
            assertTrue(copy.startsWith(dir.resolve("tmp")));
            assertTrue(copy.toString().endsWith(".mkv"), copy.toString());
            assertArrayEquals(Files.readAllBytes(video), Files.readAllBytes(copy));
            DecodedClip clip = TestVideos.decodeAll(new VideoRef("r", uri, null, null, null, null), copy,
                    SamplingOptions.defaults().withClipLength(3)).get(0);
            assertArrayEquals(SampleVideos.frame(spec, 2), clip.frames().frames()[2]);
        }
        assertFalse(Files.exists(copy));
    }

    @Test
    void missingFilesFailAtOpenNamingThePath() {
        VideoDecodeException e = assertThrows(VideoDecodeException.class,
                () -> LocalVideoFile.open(dir.resolve("nope.mp4").toString(), new Configuration(), dir));
        assertEquals(DecodeStage.OPEN, e.stage());
        assertEquals("no such file " + dir.resolve("nope.mp4"), e.detail());
    }
}
