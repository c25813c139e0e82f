package dev.autogaze.model;

import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoGazeWeightsTest {

    @TempDir
    Path tmp;

    @Test
    void fixtureModelHasEveryTensorOfTheReleasedArchitecture() {
        AutoGazeWeights w = AutoGazeWeights.load(Fixtures.autogazeSet("nvidia-b1-t16").resolve("model"));
        assertEquals(3_258_240L, w.parameterCount());
        assertTrue(w.problems().isEmpty());
        assertArrayEquals(new long[] {196, 192}, w.shape("gazing_model.connector.pos_embed"));
        assertEquals(192 * 192 * 27, w.tensor("gazing_model.vision_model.blocks.0.conv3d.weight").length);
    }

    @Test
    void configThatExpectsOtherShapesFailsNamingTheTensor() throws IOException {
        Path model = Fixtures.autogazeSet("nvidia-b1-t16").resolve("model");
        Path dir = Files.createDirectories(tmp.resolve("m"));
        String config = Files.readString(model.resolve("config.json"))
                .replace("\"intermediate_size\": 384", "\"intermediate_size\": 256");
        Files.writeString(dir.resolve("config.json"), config);
        Files.createSymbolicLink(dir.resolve("model.safetensors"), model.resolve("model.safetensors"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AutoGazeWeights.load(dir));
        assertTrue(e.getMessage().contains("layers.0.mlp.gate_proj.weight: expected [256, 192], found [384, 192]"),
                e.getMessage());
        AutoGazeWeights permissive = AutoGazeWeights.load(dir, true);
        assertEquals(12, permissive.problems().size(), permissive.problems().toString());
    }

    @Test
    void fewerLayersInConfigMakesTheExtraTensorsAnError() throws IOException {
        Path model = Fixtures.autogazeSet("nvidia-b1-t16").resolve("model");
        Path dir = Files.createDirectories(tmp.resolve("m2"));
        Files.writeString(dir.resolve("config.json"), Files.readString(model.resolve("config.json"))
                .replace("\"num_hidden_layers\": 4", "\"num_hidden_layers\": 3"));
        Files.createSymbolicLink(dir.resolve("model.safetensors"), model.resolve("model.safetensors"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AutoGazeWeights.load(dir));
        assertTrue(e.getMessage().contains("layers.3.self_attn.q_proj.weight: not part of this configuration"),
                e.getMessage());
    }
}
