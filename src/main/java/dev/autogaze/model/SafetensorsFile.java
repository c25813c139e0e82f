package dev.autogaze.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reader of the safetensors format (8-byte little-endian header length, JSON header, raw little-endian data).
 * No maintained Java reader covers F16/BF16 conversion with the bounds checks we want, so this one is ours: every
 * header length, offset and shape is checked against the file before any tensor is read, naming the tensor.
 */
public final class SafetensorsFile {

    /** Headers beyond this are not plausible for a model file and are rejected before allocation. */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    /** One tensor's entry in the header. */
    public record TensorInfo(String name, String dtype, long[] shape, long begin, long end) {

        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        @Override
        public String toString() {
            return name + " " + dtype + Arrays.toString(shape);
        }
    }

    private final Path path;
    private final ByteBuffer data;
    private final Map<String, TensorInfo> tensors;

    private SafetensorsFile(Path path, ByteBuffer data, Map<String, TensorInfo> tensors) {
        this.path = path;
        this.data = data;
        this.tensors = tensors;
    }

    /** Maps the file and validates its header; tensor data is read lazily. */
    public static SafetensorsFile open(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new ModelFormatException(path + ": " + size + " bytes is too short for a safetensors file");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
                throw new ModelFormatException(path + ": header length " + headerLength + " does not fit a file of "
                        + size + " bytes");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            if (dataSize > Integer.MAX_VALUE) {
                throw new ModelFormatException(path + ": tensor data of " + dataSize + " bytes exceeds 2 GiB");
            }
            Map<String, TensorInfo> tensors = parseHeader(path, new String(header.array(), StandardCharsets.UTF_8),
                    dataSize);
            ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart, dataSize)
                    .order(ByteOrder.LITTLE_ENDIAN);
            return new SafetensorsFile(path, data, tensors);
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static Map<String, TensorInfo> parseHeader(Path path, String json, long dataSize) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new ModelFormatException(path + ": header is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(path + ": header is not a JSON object");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            JsonNode node = entry.getValue();
            String dtype = node.path("dtype").asText(null);
            JsonNode shapeNode = node.path("shape");
            JsonNode offsets = node.path("data_offsets");
            if (dtype == null || !shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw new ModelFormatException(path + ": tensor " + name + ": header entry needs dtype, shape and two"
                        + " data_offsets, found " + node);
            }
            long[] shape = new long[shapeNode.size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong(-1);
                if (shape[i] < 0) {
                    throw new ModelFormatException(path + ": tensor " + name + ": negative dimension in shape " + shapeNode);
                }
                elements = Math.multiplyExact(elements, shape[i]);
            }
            long begin = offsets.get(0).asLong(-1);
            long end = offsets.get(1).asLong(-1);
            if (begin < 0 || end < begin || end > dataSize) {
                throw new ModelFormatException(path + ": tensor " + name + ": data_offsets [" + begin + ", " + end
                        + "] fall outside the " + dataSize + " data bytes");
            }
            long expected = Math.multiplyExact(elements, bytesPerElement(path, name, dtype));
            if (end - begin != expected) {
                throw new ModelFormatException(path + ": tensor " + name + ": " + dtype + " shape " + shapeNode
                        + " needs " + expected + " bytes, data_offsets give " + (end - begin));
            }
            tensors.put(name, new TensorInfo(name, dtype, shape, begin, end));
        }
        return Collections.unmodifiableMap(tensors);
    }

    private static int bytesPerElement(Path path, String name, String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "U8", "I8", "BOOL" -> 1;
            default -> throw new ModelFormatException(path + ": tensor " + name + ": unsupported dtype " + dtype);
        };
    }

    public Path path() {
        return path;
    }

    /** Tensor entries in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new ModelFormatException(path + ": no tensor named " + name);
        }
        return info;
    }

    /** A floating tensor (F32, F16, BF16 or F64) as f32, row-major. */
    public float[] floats(String name) {
        TensorInfo info = info(name);
        int n = Math.toIntExact(info.elementCount());
        float[] out = new float[n];
        ByteBuffer b = slice(info);
        switch (info.dtype()) {
            case "F32" -> b.asFloatBuffer().get(out);
            case "F64" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case "F16" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(b.getShort(i * 2));
                }
            }
            case "BF16" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xFFFF) << 16);
                }
            }
            default -> throw new ModelFormatException(path + ": tensor " + name + " is " + info.dtype()
                    + ", not a floating type");
        }
        return out;
    }

    /** An integer tensor (I64, I32, U8, BOOL) as long, row-major; U8 and BOOL read unsigned. */
    public long[] longs(String name) {
        TensorInfo info = info(name);
        int n = Math.toIntExact(info.elementCount());
        long[] out = new long[n];
        ByteBuffer b = slice(info);
        switch (info.dtype()) {
            case "I64" -> b.asLongBuffer().get(out);
            case "I32" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(i * 4);
                }
            }
            case "U8", "BOOL" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i) & 0xFF;
                }
            }
            default -> throw new ModelFormatException(path + ": tensor " + name + " is " + info.dtype()
                    + ", not an integer type");
        }
        return out;
    }

    /** A U8 tensor's raw bytes (values 0-255 in signed bytes), row-major. */
    public byte[] bytes(String name) {
        TensorInfo info = info(name);
        if (!info.dtype().equals("U8")) {
            throw new ModelFormatException(path + ": tensor " + name + " is " + info.dtype() + ", not U8");
        }
        byte[] out = new byte[Math.toIntExact(info.elementCount())];
        slice(info).get(out);
        return out;
    }

    /** IEEE binary16 to binary32, exact (every half value is representable); Float.float16ToFloat needs Java 20. */
    static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private ByteBuffer slice(TensorInfo info) {
        return data.slice((int) info.begin(), (int) (info.end() - info.begin())).order(ByteOrder.LITTLE_ENDIAN);
    }
}
