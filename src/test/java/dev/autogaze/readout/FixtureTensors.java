package dev.autogaze.readout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the few tensors the readout tests need from the shared AutoGaze fixtures (test-only; just enough
 * safetensors: little-endian header length, JSON header, raw little-endian data). A missing fixture throws.
 */
final class FixtureTensors {

    private final ByteBuffer data;
    private final JsonNode header;

    private FixtureTensors(ByteBuffer data, JsonNode header) {
        this.data = data;
        this.header = header;
    }

    static Path root() {
        String shared = System.getProperty("autogaze.shared");
        if (shared == null) {
            throw new IllegalStateException("system property autogaze.shared is not set (surefire sets it)");
        }
        Path p = Path.of(shared, "fixtures", "autogaze");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("fixture directory " + p + " is missing");
        }
        return p;
    }

    static FixtureTensors open(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(buf.array(), 8, (int) n,
                java.nio.charset.StandardCharsets.UTF_8));
        buf.position(8 + (int) n);
        return new FixtureTensors(buf.slice().order(ByteOrder.LITTLE_ENDIAN), header);
    }

    static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    int[] shape(String name) {
        JsonNode s = entry(name).get("shape");
        int[] out = new int[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).asInt();
        }
        return out;
    }

    long[] int64(String name) {
        JsonNode e = check(name, "I64");
        int from = e.get("data_offsets").get(0).asInt();
        long[] out = new long[(e.get("data_offsets").get(1).asInt() - from) / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.getLong(from + 8 * i);
        }
        return out;
    }

    boolean[] bool8(String name) {
        JsonNode e = check(name, "U8");
        int from = e.get("data_offsets").get(0).asInt();
        boolean[] out = new boolean[e.get("data_offsets").get(1).asInt() - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(from + i) != 0;
        }
        return out;
    }

    float[] float32(String name) {
        JsonNode e = check(name, "F32");
        int from = e.get("data_offsets").get(0).asInt();
        float[] out = new float[(e.get("data_offsets").get(1).asInt() - from) / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.getFloat(from + 4 * i);
        }
        return out;
    }

    private JsonNode entry(String name) {
        JsonNode e = header.get(name);
        if (e == null) {
            throw new IllegalStateException("fixture has no tensor " + name);
        }
        return e;
    }

    private JsonNode check(String name, String dtype) {
        JsonNode e = entry(name);
        if (!dtype.equals(e.get("dtype").asText())) {
            throw new IllegalStateException(name + " is " + e.get("dtype").asText() + ", expected " + dtype);
        }
        return e;
    }
}
