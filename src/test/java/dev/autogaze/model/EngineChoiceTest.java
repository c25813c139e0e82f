package dev.autogaze.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineChoiceTest {

    @Test
    void parsesEveryLabelInAnyCase() {
        assertEquals(EngineChoice.JVM, EngineChoice.parse("jvm", "--engine"));
        assertEquals(EngineChoice.ND4J, EngineChoice.parse("ND4J", "--engine"));
        assertEquals(EngineChoice.AUTO, EngineChoice.parse(" Auto ", "--engine"));
    }

    @Test
    void unknownValueNamesTheFlagAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineChoice.parse("cuda", "--engine"));
        assertEquals("--engine cuda is unknown; use jvm, nd4j or auto", e.getMessage());
    }

    @Test
    void theCudaBackendIsRecognisedByItsRealClassName() {
        assertTrue(EngineChoice.isCudaBackend("org.nd4j.linalg.jcublas.JCublasBackend"));
        assertFalse(EngineChoice.isCudaBackend("org.nd4j.linalg.cpu.nativecpu.CpuBackend"));
    }

    @Test
    void autoPicksTheJvmKernelsOnTheCpuBackendAndExplicitChoicesStay() {
        assertFalse(EngineChoice.cudaBackend(), "these tests run on nd4j-native");
        assertEquals(EngineChoice.JVM, EngineChoice.AUTO.resolve());
        assertEquals(EngineChoice.ND4J, EngineChoice.ND4J.resolve());
        assertEquals(EngineChoice.JVM, EngineChoice.JVM.resolve());
    }
}
