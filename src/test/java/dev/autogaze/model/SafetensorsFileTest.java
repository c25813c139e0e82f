package dev.autogaze.model;

import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsFileTest {

    @TempDir
    Path tmp;

    /** Writes a file with the given header JSON and raw data bytes. */
    private Path write(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path p = tmp.resolve("t.safetensors");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void readsF32F16Bf16AndIntegersLittleEndian() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(8 + 4 + 4 + 8 + 2).order(ByteOrder.LITTLE_ENDIAN);
        d.putFloat(1.5f).putFloat(-2f);               // F32 [2]
        d.putShort((short) 0x3C00).putShort((short) 0xC000); // F16 1.0, -2.0
        d.putShort((short) 0x3FC0).putShort((short) 0x0000); // BF16 1.5, 0
        d.putShort((short) 0x0000);                   // padding check: U8 [2] = 0, 0 -> use below
        d.rewind();
        byte[] data = new byte[8 + 4 + 4 + 2];
        d.get(data, 0, data.length);
        data[16] = (byte) 200;
        data[17] = 7;
        Path p = write("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[8,12]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[12,16]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[16,18]}}", data);
        SafetensorsFile f = SafetensorsFile.open(p);
        assertArrayEquals(new float[] {1.5f, -2f}, f.floats("a"));
        assertArrayEquals(new float[] {1f, -2f}, f.floats("h"));
        assertArrayEquals(new float[] {1.5f, 0f}, f.floats("b"));
        assertArrayEquals(new long[] {200, 7}, f.longs("u"));
        assertEquals(4, f.tensors().size());
    }

    @Test
    void halfPrecisionSubnormalsAndInfinityConvertExactly() {
        assertEquals(0x1p-24f, SafetensorsFile.halfToFloat((short) 0x0001));
        assertEquals(65504f, SafetensorsFile.halfToFloat((short) 0x7BFF));
        assertEquals(Float.NEGATIVE_INFINITY, SafetensorsFile.halfToFloat((short) 0xFC00));
        assertEquals(-0.0f, SafetensorsFile.halfToFloat((short) 0x8000));
    }

    @Test
    void offsetsBeyondTheDataAreRejectedNamingTheTensor() throws IOException {
        Path p = write("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(p));
        assertTrue(e.getMessage().contains("tensor w") && e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void shapeThatDisagreesWithOffsetsIsRejected() throws IOException {
        Path p = write("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(p));
        assertTrue(e.getMessage().contains("needs 12 bytes"), e.getMessage());
    }

    @Test
    void absurdHeaderLengthIsRejectedBeforeAllocation() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).putLong(0);
        Path p = tmp.resolve("bad.safetensors");
        Files.write(p, b.array());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(p));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }

    @Test
    void readsTheFixtureModelAndInputs() {
        Path set = Fixtures.autogazeSet("nvidia-b1-t16");
        SafetensorsFile model = SafetensorsFile.open(set.resolve("model/model.safetensors"));
        assertEquals(49, model.tensors().size());
        assertArrayEquals(new long[] {2660, 192},
                model.info("gazing_model.gaze_decoder.lm_head.weight").shape());
        SafetensorsFile inputs = SafetensorsFile.open(set.resolve("inputs.safetensors"));
        assertEquals(16, inputs.floats("rope_inv_freq").length);
        assertEquals(1.0f, inputs.floats("rope_inv_freq")[0]);
        assertEquals(16L * 224 * 224 * 3, inputs.bytes("raw_video_u8").length);
    }

    private static void assertOneLine(String message) {
        assertTrue(message.lines().count() == 1 && message.chars().noneMatch(c -> c < 0x20), message);
    }

    @Test
    void aCorruptHeaderIsReportedInOneLineWithItsPosition() throws IOException {
        Path p = write("{\"w\":{\"dtype\":\"F32\",\n\"shape\": [1]\n oops", new byte[4]);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(p));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().startsWith(p + ": header: not valid JSON: Unexpected character ('o' (code 111))"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(line 3, column 3)"), e.getMessage());
    }

    @Test
    void aTensorNameWithControlCharactersIsPrintedEscaped() throws IOException {
        Path p = write("{\"bad\\nname\":{\"dtype\":\"F99\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(p));
        assertOneLine(e.getMessage());
        assertEquals(p + ": tensor bad\\u000aname: unsupported dtype F99", e.getMessage());
    }

    @Test
    void fractionalOrHugeShapesAreRejectedNotRounded() throws IOException {
        Path frac = write("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new byte[4]);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(frac));
        assertEquals(frac + ": tensor w: shape must hold non-negative integers, found 1.5", e.getMessage());
        Path huge = write("{\"w\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296,16],\"data_offsets\":[0,4]}}",
                new byte[4]);
        e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(huge));
        assertTrue(e.getMessage().contains("more than the cap of 1073741824 (autogaze.safetensors.max-tensor-bytes)"),
                e.getMessage());
    }

    @Test
    void theHeaderAndTensorCapsAreConfigurable() throws IOException {
        Path p = write("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[16]);
        int headerBytes = (int) (Files.size(p) - 8 - 16);
        assertEquals(1, SafetensorsFile.open(p, new SafetensorsFile.Limits(headerBytes, 16)).tensors().size());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> SafetensorsFile.open(p, new SafetensorsFile.Limits(headerBytes - 1, 16)));
        assertEquals(p + ": header length " + headerBytes + " exceeds the cap of " + (headerBytes - 1)
                + " bytes (autogaze.safetensors.max-header-bytes)", e.getMessage());
        e = assertThrows(ModelFormatException.class,
                () -> SafetensorsFile.open(p, new SafetensorsFile.Limits(headerBytes, 15)));
        assertEquals(p + ": tensor w: F32 shape [4] needs 16 bytes, more than the cap of 15"
                + " (autogaze.safetensors.max-tensor-bytes)", e.getMessage());
        assertEquals(new SafetensorsFile.Limits(100L << 20, 1L << 30), SafetensorsFile.Limits.defaults());
    }
}
