package dev.autogaze.model.cuda;

import dev.autogaze.model.BicubicResize;
import dev.autogaze.model.PillowBilinear;
import dev.autogaze.model.ProcessorPlan;
import dev.autogaze.video.RgbClip;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * AutoGaze's processor and the model's bicubic squash on the device (kernels pillow_h, pillow_v, rgb_planes,
 * bicubic_w, bicubic_h), bit-identical to AutoGazeProcessor + BicubicResize on the host, so that a GPU executor's
 * cores only decode. A clip's bytes go up through two pinned buffers (copying the next clip overlaps the device's
 * work on this one) and come out as the encoder's input, [T][3][size][size] floats.
 */
final class CudaProcessor implements AutoCloseable {

    private static final int THREADS = 256;

    private final CudaModule module;
    private final CUstream_st stream;
    private final PinnedBuffer[] stage = new PinnedBuffer[2];
    private final DeviceArray[] bytes = new DeviceArray[2];
    private final CUevent_st[] uploaded = {new CUevent_st(), new CUevent_st()};
    private int slot;
    private final Map<String, DeviceArray> tables = new HashMap<>();
    private float[] tableValues;
    private DeviceArray table;
    private DeviceArray resizedWidth;
    private DeviceArray resized;
    private DeviceArray planes;
    private DeviceArray rows;
    private final Allocations owned = new Allocations();

    CudaProcessor(CudaModule module, CUstream_st stream) {
        this.module = module;
        this.stream = stream;
        for (CUevent_st e : uploaded) {
            Cuda.check(cudart.cudaEventCreate(e), "cudaEventCreate");
        }
    }

    /** Enqueues {@code clip} through {@code plan} into {@code out} at {@code outOffset} bytes. */
    void process(RgbClip clip, ProcessorPlan plan, DeviceArray out, long outOffset) {
        if (clip.height() != plan.inHeight() || clip.width() != plan.inWidth()) {
            throw new IllegalArgumentException("a " + clip.width() + "x" + clip.height() + " clip with the plan of "
                    + plan.inWidth() + "x" + plan.inHeight());
        }
        int frames = clip.frameCount();
        int frameBytes = clip.width() * clip.height() * 3;
        long clipBytes = (long) frames * frameBytes;
        slot ^= 1;
        Cuda.check(cudart.cudaEventSynchronize(uploaded[slot]), "waiting for an earlier upload");
        if (stage[slot] == null || stage[slot].bytes() < clipBytes) {
            if (stage[slot] != null) {
                owned.free(stage[slot]);
            }
            stage[slot] = owned.track(new PinnedBuffer(clipBytes, "frame staging"));
        }
        bytes[slot] = grow(bytes[slot], clipBytes, "frames");
        ByteBuffer host = stage[slot].buffer();
        IntStream.range(0, frames).parallel().forEach(t -> host.duplicate().position(t * frameBytes)
                .put(clip.frames()[t]));
        bytes[slot].upload(stage[slot].pointer(), 0, 0, clipBytes, stream);
        Cuda.check(cudart.cudaEventRecord(uploaded[slot], stream), "cudaEventRecord");

        DeviceArray src = bytes[slot];
        int height = clip.height();
        int width = clip.width();
        if (plan.horizontal() != null) {
            PillowBilinear.Coefficients k = plan.horizontal();
            resizedWidth = grow(resizedWidth, (long) frames * height * k.outSize() * 3, "resized frames");
            DeviceArray t = pillowTable(k);
            long rowsIn = (long) frames * height;
            module.launch("pillow_h", blocks(rowsIn * k.outSize()), THREADS).ptr(src).i((int) rowsIn).i(width)
                    .i(k.outSize()).ptr(t).ptr(t, 4L * k.outSize()).ptr(t, 8L * k.outSize()).i(k.stride())
                    .ptr(resizedWidth).on(stream);
            src = resizedWidth;
            width = k.outSize();
        }
        if (plan.vertical() != null) {
            PillowBilinear.Coefficients k = plan.vertical();
            resized = grow(resized, (long) frames * k.outSize() * width * 3, "resized frames");
            DeviceArray t = pillowTable(k);
            module.launch("pillow_v", blocks((long) frames * k.outSize() * width * 3), THREADS).ptr(src).i(frames)
                    .i(height).i(k.outSize()).i(width * 3).ptr(t).ptr(t, 4L * k.outSize()).ptr(t, 8L * k.outSize())
                    .i(k.stride()).ptr(resized).on(stream);
            src = resized;
            height = k.outSize();
        }
        boolean squash = plan.squashX() != null;
        long values = (long) frames * 3 * height * width;
        if (squash) {
            planes = grow(planes, values * Float.BYTES, "processed frames");
        }
        module.launch("rgb_planes", blocks(values), THREADS).ptr(src).i(frames).i(height * width).ptr(table(plan))
                .ptr(squash ? planes : out, squash ? 0 : outOffset).on(stream);
        if (squash) {
            int size = plan.size();
            int count = frames * 3;
            rows = grow(rows, (long) count * height * size * Float.BYTES, "squash rows");
            DeviceArray ax = axisTable(plan.squashX(), width, size);
            DeviceArray ay = axisTable(plan.squashY(), height, size);
            module.launch("bicubic_w", blocks((long) count * height * size), THREADS).ptr(planes).i(count * height)
                    .i(width).i(size).ptr(ax).ptr(ax, 16L * size).ptr(rows).on(stream);
            module.launch("bicubic_h", blocks((long) count * size * size), THREADS).ptr(rows).i(count).i(height)
                    .i(size).i(size).ptr(ay).ptr(ay, 16L * size).ptr(out, outOffset).on(stream);
        }
    }

    /** Device bytes of the staging copies, scratch and coefficient tables. */
    long bytes() {
        return owned.deviceBytes();
    }

    private static long blocks(long threads) {
        return (threads + THREADS - 1) / THREADS;
    }

    /** `current` if it holds `size` bytes, else a larger one (after the work that may still read it). */
    private DeviceArray grow(DeviceArray current, long size, String what) {
        if (current != null && current.bytes() >= size) {
            return current;
        }
        if (current != null) {
            Cuda.check(cudart.cudaStreamSynchronize(stream), "processor");
            owned.free(current);
        }
        return owned.track(DeviceArray.allocate(size, what));
    }

    /** [start | count | weights] of a Pillow pass, uploaded once per size pair. */
    private DeviceArray pillowTable(PillowBilinear.Coefficients k) {
        return tables.computeIfAbsent("pillow " + k.inSize() + ">" + k.outSize(), key -> {
            int[] all = new int[2 * k.outSize() + k.weights().length];
            System.arraycopy(k.start(), 0, all, 0, k.outSize());
            System.arraycopy(k.count(), 0, all, k.outSize(), k.outSize());
            System.arraycopy(k.weights(), 0, all, 2 * k.outSize(), k.weights().length);
            DeviceArray d = owned.track(DeviceArray.allocate((long) all.length * Integer.BYTES, key));
            try (IntPointer h = new IntPointer(all)) {
                Cuda.check(cudart.cudaMemcpy(d.at(0), h, (long) all.length * Integer.BYTES,
                        cudart.cudaMemcpyHostToDevice), "upload of " + key);
            }
            return d;
        });
    }

    /** [taps (4 per output) | weights (4 per output)] of a bicubic axis, uploaded once per size pair. */
    private DeviceArray axisTable(BicubicResize.Axis axis, int in, int out) {
        return tables.computeIfAbsent("bicubic " + in + ">" + out, key -> {
            DeviceArray d = owned.track(DeviceArray.allocate(32L * out, key));
            try (IntPointer taps = new IntPointer(axis.taps()); FloatPointer w = new FloatPointer(axis.weights())) {
                Cuda.check(cudart.cudaMemcpy(d.at(0), taps, 16L * out, cudart.cudaMemcpyHostToDevice),
                        "upload of " + key);
                Cuda.check(cudart.cudaMemcpy(d.at(16L * out), w, 16L * out, cudart.cudaMemcpyHostToDevice),
                        "upload of " + key);
            }
            return d;
        });
    }

    private DeviceArray table(ProcessorPlan plan) {
        if (table == null || !Arrays.equals(tableValues, plan.table())) {
            if (table != null) {
                Cuda.check(cudart.cudaStreamSynchronize(stream), "processor");
                owned.free(table);
            }
            table = owned.track(DeviceArray.floats(plan.table().length, "processor table"));
            try (FloatPointer h = new FloatPointer(plan.table())) {
                Cuda.check(cudart.cudaMemcpy(table.at(0), h, (long) plan.table().length * Float.BYTES,
                        cudart.cudaMemcpyHostToDevice), "upload of the processor table");
            }
            tableValues = plan.table().clone();
        }
        return table;
    }

    @Override
    public void close() {
        owned.close();
        tables.clear();
        for (CUevent_st e : uploaded) {
            cudart.cudaEventDestroy(e);
        }
    }
}
