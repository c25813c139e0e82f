package dev.autogaze.model;

import dev.autogaze.model.cuda.Cuda;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EngineChoiceTest {

    @Test
    void parsesEveryLabelInAnyCase() {
        assertEquals(EngineChoice.JVM, EngineChoice.parse("jvm", "--engine"));
        assertEquals(EngineChoice.ND4J, EngineChoice.parse("ND4J", "--engine"));
        assertEquals(EngineChoice.CUDA, EngineChoice.parse("Cuda", "--engine"));
        assertEquals(EngineChoice.AUTO, EngineChoice.parse(" Auto ", "--engine"));
    }

    @Test
    void unknownValueNamesTheFlagAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineChoice.parse("opencl", "--engine"));
        assertEquals("--engine opencl is unknown; use jvm, nd4j, cuda or auto", e.getMessage());
    }

    @Test
    void autoPicksCudaExactlyWhereADeviceIsUsableAndExplicitChoicesStay() {
        EngineChoice expected = Cuda.unavailableReason() == null ? EngineChoice.CUDA : EngineChoice.JVM;
        assertEquals(expected, EngineChoice.AUTO.resolve());
        assertEquals(EngineChoice.ND4J, EngineChoice.ND4J.resolve());
        assertEquals(EngineChoice.JVM, EngineChoice.JVM.resolve());
        assertEquals(EngineChoice.CUDA, EngineChoice.CUDA.resolve());
    }

    @Test
    void withoutADeviceTheReasonIsOneLine() {
        String why = Cuda.unavailableReason();
        if (why != null) {
            assertEquals(-1, why.indexOf('\n'), why);
            assertFalse(why.isBlank());
        }
    }
}
