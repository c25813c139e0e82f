package dev.autogaze.video;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.autogaze.testing.OneLineMessages;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The CSV and JSON Lines manifest readers on arbitrary bytes (Jazzer), in memory (the same code a manifest file goes
 * through after it is opened): a listing or an IOException, never another exception; every rejected row and error
 * on one line. Seeds: {@code src/test/resources/dev/autogaze/video/ManifestFuzzTestInputs/<method>/}.
 */
class ManifestFuzzTest {

    private static final Path BASE = new Path("file:/data/set");

    private static void list(byte[] bytes, ManifestReader.Format format, String name) throws IOException {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes),
                    StandardCharsets.UTF_8));
            VideoDataset.Listing l = VideoDataset.fromRows(name, ManifestReader.readText(format, in, name), BASE);
            for (VideoDataset.Rejected r : l.rejected()) {
                OneLineMessages.check(new IOException(r.reason()));
            }
        } catch (IOException expected) {
            OneLineMessages.check(expected);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void csvManifest(byte[] bytes) throws IOException {
        list(bytes, ManifestReader.Format.CSV, "manifest.csv");
    }

    @FuzzTest(maxDuration = "10s")
    void jsonLinesManifest(byte[] bytes) throws IOException {
        list(bytes, ManifestReader.Format.JSONL, "manifest.jsonl");
    }
}
