package dev.autogaze.video;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.autogaze.testing.OneLineMessages;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CSV and JSON Lines manifest readers on arbitrary bytes (Jazzer): a listing or an IOException, never another
 * exception; every rejected row and error on one line. Seeds: {@code
 * src/test/resources/dev/autogaze/video/ManifestFuzzTestInputs/<method>/}.
 */
class ManifestFuzzTest {

    private static final Configuration CONF = new Configuration();
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("autogaze-manifest-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void list(byte[] bytes, String name) throws IOException {
        Path file = Files.write(DIR.resolve(name), bytes);
        try {
            VideoDataset.Listing l = VideoDataset.listing(file.toString(), CONF);
            for (VideoDataset.Rejected r : l.rejected()) {
                OneLineMessages.check(new IOException(r.reason()));
            }
        } catch (IOException expected) {
            OneLineMessages.check(expected);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void csvManifest(byte[] bytes) throws IOException {
        list(bytes, "manifest.csv");
    }

    @FuzzTest(maxDuration = "10s")
    void jsonLinesManifest(byte[] bytes) throws IOException {
        list(bytes, "manifest.jsonl");
    }
}
