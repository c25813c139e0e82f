package dev.autogaze.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessorConfigTest {

    @TempDir
    Path tmp;

    private static ProcessorConfig parse(String json) throws IOException {
        return ProcessorConfig.parse(new ObjectMapper().readTree(json));
    }

    @Test
    void releasedFileParsesToTheDefaults() throws IOException {
        ProcessorConfig c = parse("""
                {"do_resize": true, "size": {"shortest_edge": 224}, "resample": 2, "do_center_crop": false,
                 "crop_size": {"height": 224, "width": 224}, "do_rescale": true,
                 "rescale_factor": 0.00784313725490196, "offset": true, "do_normalize": true,
                 "image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225]}""");
        assertEquals(ProcessorConfig.defaults(), c);
    }

    @Test
    void heightWidthSizeSquashesToThatSize() throws IOException {
        ProcessorConfig c = parse("{\"size\": {\"height\": 392, \"width\": 392}}");
        assertArrayEquals(new int[] {392, 392}, c.outputSize(240, 320));
    }

    @Test
    void missingFileMeansDefaultsAndAPresentFileIsRead() throws IOException {
        assertEquals(ProcessorConfig.defaults(), ProcessorConfig.loadOrDefaults(tmp));
        Files.writeString(tmp.resolve(ProcessorConfig.FILE_NAME), "{\"size\": {\"shortest_edge\": 256}}");
        assertEquals(256, ProcessorConfig.loadOrDefaults(tmp).shortestEdge());
    }

    @Test
    void otherResamplerIsRejectedNamingIt() throws IOException {
        Files.writeString(tmp.resolve(ProcessorConfig.FILE_NAME), "{\"resample\": 3}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ProcessorConfig.loadOrDefaults(tmp));
        assertTrue(e.getMessage().contains("resample 3 is not supported"), e.getMessage());
    }

    @Test
    void nonPositiveStdIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("{\"image_std\": [0.2, 0.0, 0.2]}"));
        assertTrue(e.getMessage().contains("image_std"), e.getMessage());
    }
}
