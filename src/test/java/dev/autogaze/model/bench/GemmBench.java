package dev.autogaze.model.bench;

import dev.autogaze.model.Gemm;
import org.bytedeco.javacpp.FloatPointer;

import java.util.Arrays;

/** Prints ms per product for the encoder's big conv GEMM and the decoder's small step GEMM, arrays vs off-heap. */
public final class GemmBench {

    public static void main(String[] args) {
        int[] threads = {1, 2};
        for (int th : threads) {
            Gemm.setThreads(th);
            System.out.println("BLAS threads " + Gemm.threads());
            run("conv im2col [3136,5184]x[5184,192]^T", 3136, 192, 5184, 3);
            run("patchify [3136,768]x[768,192]^T", 3136, 192, 768, 5);
            run("decoder step [10,192]x[192,192]^T", 10, 192, 192, 2000);
            run("decoder lm_head [1,192]x[2660,192]^T", 1, 2660, 192, 2000);
        }
    }

    private static void run(String name, int m, int n, int k, int reps) {
        float[] a = new float[m * k];
        float[] b = new float[n * k];
        float[] c = new float[m * n];
        Arrays.fill(a, 0.5f);
        Arrays.fill(b, 0.25f);
        try (FloatPointer pa = new FloatPointer(a); FloatPointer pb = new FloatPointer(b);
             FloatPointer pc = new FloatPointer((long) m * n)) {
            for (int w = 0; w < 2; w++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    Gemm.sgemm(false, true, m, n, k, 1f, a, k, b, k, 0f, c, n);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    Gemm.sgemm(false, true, m, n, k, 1f, pa, 0, k, pb, 0, k, 0f, pc, 0, n);
                }
                long t2 = System.nanoTime();
                if (w == 1) {
                    System.out.printf("  %-42s float[] %9.4f ms   FloatPointer %9.4f ms%n", name,
                            (t1 - t0) / 1e6 / reps, (t2 - t1) / 1e6 / reps);
                }
            }
        }
    }
}
