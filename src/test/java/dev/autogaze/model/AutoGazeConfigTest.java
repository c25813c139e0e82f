package dev.autogaze.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoGazeConfigTest {

    private static Path configFile() {
        return Fixtures.autogazeSet("nvidia-b1-t16").resolve("model/config.json");
    }

    private static ObjectNode rawConfig() throws IOException {
        return (ObjectNode) new ObjectMapper().readTree(configFile().toFile());
    }

    @Test
    void releasedConfigDerivesLayoutAndSizes() {
        AutoGazeConfig c = AutoGazeConfig.load(configFile().getParent());
        assertEquals(ScaleLayout.released(), c.layout());
        assertArrayEquals(new int[] {0, 4, 20, 69}, c.layout().offsets());
        assertEquals(196, c.visionTokens());
        assertEquals(14, c.visionGrid());
        assertEquals(10, c.decoder().multiTokenHeads());
        assertEquals(266, c.decoder().vocabSize());
        assertEquals(32, c.decoder().headDim());
        assertEquals(4, c.decoder().layers());
        assertEquals(1e-5f, c.decoder().rmsNormEps());
        assertEquals(8192, c.decoder().ropeScaling().originalMaxPositionEmbeddings());
        assertEquals("sdpa", c.attnMode());
    }

    @Test
    void otherScalesAndHeadsAreData() throws IOException {
        ObjectNode root = rawConfig();
        root.put("scales", "112+224");
        root.put("num_vision_tokens_each_frame", 245);
        ObjectNode dec = (ObjectNode) root.get("gaze_model_config").get("gaze_decoder_config");
        dec.put("vocab_size", 246).put("eos_token_id", 245).put("num_multi_token_pred", 3)
                .put("num_hidden_layers", 2);
        AutoGazeConfig c = AutoGazeConfig.parse(root);
        assertArrayEquals(new int[] {7, 14}, c.layout().grids());
        assertEquals(3, c.decoder().multiTokenHeads());
        assertEquals(2, c.decoder().layers());
    }

    @Test
    void inconsistentVocabularyIsRejectedNamingTheField() throws IOException {
        ObjectNode root = rawConfig();
        ((ObjectNode) root.get("gaze_model_config").get("gaze_decoder_config")).put("vocab_size", 300);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AutoGazeConfig.parse(root));
        assertTrue(e.getMessage().contains("vocab_size 300"), e.getMessage());
    }

    @Test
    void tokenCountThatDoesNotMatchScalesIsRejected() throws IOException {
        ObjectNode root = rawConfig();
        root.put("num_vision_tokens_each_frame", 264);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AutoGazeConfig.parse(root));
        assertTrue(e.getMessage().contains("num_vision_tokens_each_frame"), e.getMessage());
    }

    @Test
    void missingFieldIsNamedWithItsPath() throws IOException {
        ObjectNode root = rawConfig();
        ((ObjectNode) root.get("gaze_model_config").get("gaze_decoder_config")).remove("hidden_size");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AutoGazeConfig.parse(root));
        assertEquals("config.json: gaze_model_config.gaze_decoder_config.hidden_size is missing", e.getMessage());
    }

    @Test
    void aCorruptConfigIsReportedInOneLineWithItsPosition(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path file = java.nio.file.Files.writeString(dir.resolve("config.json"), "{\n  \"scales\": \"32+64\",\n  oops\n}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AutoGazeConfig.load(dir));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ": not valid JSON: Unexpected character ('o' (code 111))"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(line 3, column 4)"), e.getMessage());
    }

    @Test
    void anIntegerBeyondIntIsRejectedNotWrapped() throws IOException {
        ObjectNode root = rawConfig();
        ((ObjectNode) root.get("gaze_model_config").get("gaze_decoder_config")).put("num_hidden_layers", 4294967300L);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AutoGazeConfig.parse(root));
        assertEquals("config.json: gaze_model_config.gaze_decoder_config.num_hidden_layers must be an integer, found"
                + " 4294967300", e.getMessage());
    }

    @Test
    void jsonNestedDeeperThanTheCapIsRejectedBeforeParsingFurther() {
        byte[] deep = ("[".repeat(70) + "]".repeat(70)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AutoGazeConfig.parse(deep, "c.json"));
        assertEquals("c.json: not valid JSON: Depth (65) exceeds the maximum allowed nesting depth (64)",
                e.getMessage());
    }
}
