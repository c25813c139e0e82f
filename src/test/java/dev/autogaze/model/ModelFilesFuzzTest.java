package dev.autogaze.model;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.autogaze.testing.OneLineMessages;

/**
 * The model-file parsers on arbitrary bytes (Jazzer): only {@link ModelFormatException} may escape, and nothing is
 * allocated beyond the caps (the JVM runs with a small heap when fuzzing). Seeds: {@code
 * src/test/resources/dev/autogaze/model/ModelFilesFuzzTestInputs/<method>/}. `mvn test` replays the seeds;
 * `jobs/fuzz` fuzzes (docs/reliability.md).
 */
class ModelFilesFuzzTest {

    private static final SafetensorsFile.Limits LIMITS = new SafetensorsFile.Limits(1 << 20, 16 << 20);

    @FuzzTest(maxDuration = "10s")
    void safetensorsHeader(byte[] file) {
        try {
            SafetensorsFile.readHeader(file, LIMITS);
        } catch (ModelFormatException expected) {
            OneLineMessages.check(expected);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void configJson(byte[] json) {
        try {
            AutoGazeConfig.parse(json, "config.json");
        } catch (ModelFormatException expected) {
            OneLineMessages.check(expected);
        }
    }
}
