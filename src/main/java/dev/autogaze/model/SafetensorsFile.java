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

    /**
     * What a file may ask this reader to allocate: the header is read into one array, a tensor into another. Both
     * caps are checked before the allocation; each can be raised with a system property (on executors too, through
     * {@code spark.executor.extraJavaOptions}) for a model beyond them.
     *
     * @param maxHeaderBytes the header's length field at most (property autogaze.safetensors.max-header-bytes)
     * @param maxTensorBytes one tensor's data at most (property autogaze.safetensors.max-tensor-bytes)
     */
    public record Limits(long maxHeaderBytes, long maxTensorBytes) {

        public static final long DEFAULT_MAX_HEADER_BYTES = 100L << 20;
        public static final long DEFAULT_MAX_TENSOR_BYTES = 1L << 30;

        public Limits {
            if (maxHeaderBytes < 2 || maxTensorBytes < 1 || maxTensorBytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("safetensors limits: header cap " + maxHeaderBytes
                        + " must be >= 2 and tensor cap " + maxTensorBytes + " within 1.." + Integer.MAX_VALUE);
            }
        }

        /** 100 MiB of header, 1 GiB per tensor, unless the system properties say otherwise. */
        public static Limits defaults() {
            return new Limits(Long.getLong("autogaze.safetensors.max-header-bytes", DEFAULT_MAX_HEADER_BYTES),
                    Long.getLong("autogaze.safetensors.max-tensor-bytes", DEFAULT_MAX_TENSOR_BYTES));
        }
    }

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

    /** Maps the file and validates its header within the default {@link Limits}; tensor data is read lazily. */
    public static SafetensorsFile open(Path path) {
        return open(path, Limits.defaults());
    }

    /** Maps the file and validates its header within {@code limits}; tensor data is read lazily. */
    public static SafetensorsFile open(Path path, Limits limits) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new ModelFormatException(path + ": " + size + " bytes is too short for a safetensors file");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = checkHeaderLength(path.toString(), lengthBytes.getLong(0), size, limits);
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            if (dataSize > Integer.MAX_VALUE) {
                throw new ModelFormatException(path + ": tensor data of " + dataSize + " bytes exceeds 2 GiB");
            }
            Map<String, TensorInfo> tensors = parseHeader(path.toString(), header.array(), dataSize, limits);
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

    private static long checkHeaderLength(String path, long headerLength, long size, Limits limits) {
        if (headerLength <= 0 || headerLength > size - 8) {
            throw new ModelFormatException(path + ": header length " + headerLength + " does not fit a file of "
                    + size + " bytes");
        }
        if (headerLength > limits.maxHeaderBytes()) {
            throw new ModelFormatException(path + ": header length " + headerLength + " exceeds the cap of "
                    + limits.maxHeaderBytes() + " bytes (autogaze.safetensors.max-header-bytes)");
        }
        return headerLength;
    }

    /**
     * The tensor entries of a whole safetensors file held in memory (8-byte length, header, data): what
     * {@link #open} checks, without a file; for tests and fuzzing.
     */
    public static Map<String, TensorInfo> readHeader(byte[] file, Limits limits) {
        String where = "(bytes)";
        if (file.length < 8) {
            throw new ModelFormatException(where + ": " + file.length + " bytes is too short for a safetensors file");
        }
        long headerLength = checkHeaderLength(where,
                ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(), file.length, limits);
        byte[] header = Arrays.copyOfRange(file, 8, 8 + (int) headerLength);
        return parseHeader(where, header, file.length - 8 - headerLength, limits);
    }

    private static Map<String, TensorInfo> parseHeader(String path, byte[] json, long dataSize, Limits limits) {
        JsonNode root = JsonText.read(json, path + ": header");
        if (!root.isObject()) {
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
            String shown = JsonText.printable(name); // a key may hold any character
            String dtype = node.path("dtype").asText(null);
            JsonNode shapeNode = node.path("shape");
            JsonNode offsets = node.path("data_offsets");
            if (dtype == null || !shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw new ModelFormatException(path + ": tensor " + shown + ": header entry needs dtype, shape and two"
                        + " data_offsets, found " + JsonText.printable(node.toString()));
            }
            if (!node.path("dtype").isTextual() || shapeNode.size() > 16) {
                throw new ModelFormatException(path + ": tensor " + shown + ": dtype must be a string and shape have at"
                        + " most 16 dimensions, found " + JsonText.printable(node.toString()));
            }
            long[] shape = new long[shapeNode.size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = whole(shapeNode.get(i), path, shown, "shape");
                // a product beyond the data is caught below; this only keeps it from overflowing
                elements = shape[i] == 0 || elements == 0 ? 0 : elements > Long.MAX_VALUE / 8 / shape[i]
                        ? Long.MAX_VALUE / 8 : elements * shape[i];
            }
            long begin = whole(offsets.get(0), path, shown, "data_offsets");
            long end = whole(offsets.get(1), path, shown, "data_offsets");
            if (end < begin || end > dataSize) {
                throw new ModelFormatException(path + ": tensor " + shown + ": data_offsets [" + begin + ", " + end
                        + "] fall outside the " + dataSize + " data bytes");
            }
            long expected = elements * bytesPerElement(path, shown, dtype);
            if (expected > limits.maxTensorBytes()) {
                throw new ModelFormatException(path + ": tensor " + shown + ": " + dtype + " shape "
                        + JsonText.printable(shapeNode.toString()) + " needs " + expected + " bytes, more than the cap of "
                        + limits.maxTensorBytes() + " (autogaze.safetensors.max-tensor-bytes)");
            }
            if (end - begin != expected) {
                throw new ModelFormatException(path + ": tensor " + shown + ": " + dtype + " shape "
                        + JsonText.printable(shapeNode.toString()) + " needs " + expected + " bytes, data_offsets give " + (end - begin));
            }
            tensors.put(name, new TensorInfo(name, dtype, shape, begin, end));
        }
        return Collections.unmodifiableMap(tensors);
    }

    /** A non-negative integer of the header (a shape dimension or an offset), or an error naming the tensor. */
    private static long whole(JsonNode n, String path, String name, String field) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw new ModelFormatException(path + ": tensor " + name + ": " + field + " must hold non-negative integers,"
                    + " found " + (n == null ? "nothing" : JsonText.printable(n.toString())));
        }
        return n.asLong();
    }

    private static int bytesPerElement(String path, String name, String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "U8", "I8", "BOOL" -> 1;
            default -> throw new ModelFormatException(path + ": tensor " + name + ": unsupported dtype "
                    + JsonText.printable(dtype));
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
