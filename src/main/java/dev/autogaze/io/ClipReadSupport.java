package dev.autogaze.io;

import dev.autogaze.readout.TokenPatches;
import dev.autogaze.readout.VideoGeometry;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * parquet-hadoop read support that projects the clips table onto the columns {@link ClipCoordinates} needs and
 * materializes each row straight from the column readers: list leaves are appended to reused primitive buffers,
 * so no object is created per token or fixation.
 */
final class ClipReadSupport extends ReadSupport<ClipCoordinates> {

    static final List<String> SCALARS = List.of("schema_version", "video_id", "source_path", "clip_index",
            "source_width", "source_height", "gaze_source", "config_hash", "video_frames", "video_height",
            "video_width", "tubelet", "patch", "grid_t", "grid_h", "grid_w", "real_gazes", "pad_gazes",
            "token_count", "keep_ratio");
    static final List<String> INT_LISTS = List.of("frame_indices", "coords_t", "coords_row", "coords_col",
            "token_index", "tokens_per_bin");
    static final List<String> FIX_INT_LISTS = List.of("fix_frame", "fix_scale");
    static final List<String> FIX_FLOAT_LISTS = List.of("fix_confidence", "fix_x0", "fix_y0", "fix_x1", "fix_y1");
    static final String PATCHES = "patches";

    private final String file;
    private final String directorySplit;
    private final boolean fixations;
    private final boolean patches;

    ClipReadSupport(String file, String directorySplit, boolean fixations, boolean patches) {
        this.file = file;
        this.directorySplit = directorySplit;
        this.fixations = fixations;
        this.patches = patches;
    }

    @Override
    public ReadContext init(InitContext context) {
        MessageType schema = context.getFileSchema();
        List<String> wanted = new ArrayList<>(SCALARS);
        wanted.addAll(INT_LISTS);
        if (fixations) {
            wanted.addAll(FIX_INT_LISTS);
            wanted.addAll(FIX_FLOAT_LISTS);
        }
        List<Type> fields = new ArrayList<>();
        for (String name : wanted) {
            if (!schema.containsField(name)) {
                throw new OutputFormatException(file + ": column " + name + " missing; is this an autogaze clips file?");
            }
            fields.add(schema.getType(name));
        }
        if (patches) {
            if (!schema.containsField(PATCHES)) {
                throw new OutputFormatException(file + ": no patches column (schema_version 1, written before patch "
                        + "export); rerun the job with --emit-patches");
            }
            fields.add(schema.getType(PATCHES));
        }
        if (schema.containsField("split")) {
            fields.add(schema.getType("split"));
        }
        return new ReadContext(new MessageType(schema.getName(), fields));
    }

    @Override
    public RecordMaterializer<ClipCoordinates> prepareForRead(Configuration conf, Map<String, String> metadata,
                                                              MessageType fileSchema, ReadContext context) {
        return new Materializer(context.getRequestedSchema());
    }

    /** Growable int/float buffer reused across rows. */
    private static final class Buf {
        int[] ints = new int[64];
        float[] floats;
        int size;

        Buf(boolean isFloat) {
            floats = isFloat ? new float[64] : null;
        }

        void add(int v) {
            if (size == ints.length) {
                ints = Arrays.copyOf(ints, size * 2);
            }
            ints[size++] = v;
        }

        void add(float v) {
            if (size == floats.length) {
                floats = Arrays.copyOf(floats, size * 2);
            }
            floats[size++] = v;
        }
    }

    private final class Materializer extends RecordMaterializer<ClipCoordinates> {
        final Map<String, Buf> lists = new HashMap<>();
        final Map<String, Object> scalars = new HashMap<>();
        final GroupConverter root;
        byte[] patchBytes;

        Materializer(MessageType requested) {
            Converter[] children = new Converter[requested.getFieldCount()];
            for (int i = 0; i < children.length; i++) {
                Type type = requested.getType(i);
                String name = type.getName();
                if (name.equals(PATCHES)) {
                    children[i] = new PrimitiveConverter() {
                        @Override
                        public void addBinary(Binary value) {
                            patchBytes = value.getBytes();
                        }
                    };
                } else if (type.isPrimitive()) {
                    children[i] = new Scalar(name);
                } else {
                    Buf buf = new Buf(FIX_FLOAT_LISTS.contains(name));
                    lists.put(name, buf);
                    children[i] = new ListOf(type.asGroupType(), buf);
                }
            }
            root = new GroupConverter() {
                @Override
                public Converter getConverter(int i) {
                    return children[i];
                }

                @Override
                public void start() {
                    scalars.clear();
                    patchBytes = null;
                    for (Buf b : lists.values()) {
                        b.size = 0;
                    }
                }

                @Override
                public void end() {
                }
            };
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }

        @Override
        public ClipCoordinates getCurrentRecord() {
            int version = i("schema_version");
            String id = (String) scalars.get("video_id");
            if (!OutputSchema.readable(version)) {
                throw new OutputFormatException(file + ": clip " + id + " has schema_version " + version
                        + "; " + OutputSchema.readableText());
            }
            VideoGeometry geometry = new VideoGeometry(i("video_frames"), i("video_height"), i("video_width"),
                    i("tubelet"), i("patch"));
            if (geometry.bins() != i("grid_t") || geometry.rows() != i("grid_h") || geometry.cols() != i("grid_w")) {
                throw new OutputFormatException(file + ": clip " + id + " grid " + i("grid_t") + "x" + i("grid_h")
                        + "x" + i("grid_w") + " does not match " + geometry);
            }
            String split = scalars.containsKey("split") ? (String) scalars.get("split") : directorySplit;
            ClipStats stats = new ClipStats(i("real_gazes"), i("pad_gazes"), i("token_count"),
                    ints("tokens_per_bin"), (Double) scalars.get("keep_ratio"));
            ClipFixations fix = fixations ? new ClipFixations(ints("fix_frame"), ints("fix_scale"),
                    floats("fix_confidence"), floats("fix_x0"), floats("fix_y0"), floats("fix_x1"),
                    floats("fix_y1")) : null;
            TokenPatches pixels = null;
            if (patches) {
                if (patchBytes == null) {
                    throw new OutputFormatException(file + ": clip " + id + "#" + i("clip_index") + " has no patches; "
                            + "its run did not use --emit-patches");
                }
                try {
                    pixels = new TokenPatches(i("token_count"), geometry.tubelet(), geometry.patch(), patchBytes);
                } catch (IllegalArgumentException e) {
                    throw new OutputFormatException(file + ": clip " + id + "#" + i("clip_index") + ": "
                            + e.getMessage());
                }
            }
            return new ClipCoordinates(id, (String) scalars.get("source_path"), split, i("clip_index"),
                    (String) scalars.get("config_hash"), (String) scalars.get("gaze_source"), ints("frame_indices"),
                    i("source_width"), i("source_height"), geometry, ints("coords_t"), ints("coords_row"),
                    ints("coords_col"), ints("token_index"), stats, fix, pixels);
        }

        private int i(String name) {
            Object v = scalars.get(name);
            if (v == null) {
                throw new OutputFormatException(file + ": column " + name + " is null in clip "
                        + scalars.get("video_id"));
            }
            return (Integer) v;
        }

        private int[] ints(String name) {
            Buf b = lists.get(name);
            return Arrays.copyOf(b.ints, b.size);
        }

        private float[] floats(String name) {
            Buf b = lists.get(name);
            return Arrays.copyOf(b.floats, b.size);
        }

        /** One scalar column: a handful per row, boxed once each. */
        private final class Scalar extends PrimitiveConverter {
            final String name;

            Scalar(String name) {
                this.name = name;
            }

            @Override
            public void addInt(int value) {
                scalars.put(name, value);
            }

            @Override
            public void addDouble(double value) {
                scalars.put(name, value);
            }

            @Override
            public void addBinary(Binary value) {
                scalars.put(name, value.toStringUsingUTF8());
            }
        }
    }

    /** A LIST column (any nesting of groups down to one primitive leaf): every leaf value goes into the buffer. */
    private static final class ListOf extends GroupConverter {
        final Converter child;

        ListOf(GroupType type, Buf buf) {
            Type inner = type.getType(0);
            child = inner.isPrimitive() ? new Leaf(buf) : new ListOf(inner.asGroupType(), buf);
        }

        @Override
        public Converter getConverter(int i) {
            return child;
        }

        @Override
        public void start() {
        }

        @Override
        public void end() {
        }
    }

    private static final class Leaf extends PrimitiveConverter {
        final Buf buf;

        Leaf(Buf buf) {
            this.buf = buf;
        }

        @Override
        public void addInt(int value) {
            buf.add(value);
        }

        @Override
        public void addFloat(float value) {
            buf.add(value);
        }
    }
}
