package dev.autogaze.model;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.nio.FloatBuffer;

/**
 * Row-major f32 matrix products for the model, straight through OpenBLAS's {@code cblas_sgemm} (the library ND4J
 * already ships): one native call and no per-op allocation, far cheaper than an ND4J op at the model's sizes.
 *
 * <p>Contract, for every method: all matrices are row-major f32; the result is
 * {@code C[m,n] = alpha * op(A) * op(B) + beta * C}, where {@code op(A)} is {@code A[m,k]} or, when transposed,
 * {@code A} stored as {@code [k,m]}; likewise {@code op(B)} is {@code B[k,n]} or {@code B} stored as {@code [n,k]}.
 * {@code lda/ldb/ldc} are the row strides of the matrices <em>as stored</em> (so {@code ldb = k} for a PyTorch
 * Linear weight {@code [out=n, in=k]} used with {@code transB}). With {@code beta == 0} the old content of
 * {@code C} is ignored (NaN is not propagated). Shapes and strides are checked and errors name the bad value.
 *
 * <ul>
 *   <li>{@link #sgemm(boolean, boolean, int, int, int, float, FloatPointer, long, int, FloatPointer, long, int,
 *       float, FloatPointer, long, int)}: off-heap operands with element offsets; the fast path for big products
 *       (no copying).</li>
 *   <li>{@link #sgemm(boolean, boolean, int, int, int, float, float[], int, float[], int, float, float[], int)}:
 *       Java arrays starting at element 0; the JNI layer pins or copies them, which costs about the size of the
 *       operands and is fine for small products (decoder steps).</li>
 *   <li>{@link #sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float,
 *       float[], int, int)}: the same with element offsets into the arrays.</li>
 *   <li>{@link #linear(float[], int, int, float[], int, float[])}: {@code y[m,n] = x[m,k] * W[n,k]^T}, a PyTorch
 *       Linear without bias.</li>
 * </ul>
 *
 * <p>Threads: OpenBLAS threads spin on a 2-core machine, so the first use sets one BLAS thread unless the system
 * property {@code autogaze.blas.threads} says otherwise; {@link #setThreads(int)} changes it later (it is global
 * to the process, ND4J included). Callers parallelise across clips instead.
 */
public final class Gemm {

    private static final int ROW_MAJOR;
    private static final int NO_TRANS;
    private static final int TRANS;

    static {
        Loader.load(openblas_nolapack.class);
        ROW_MAJOR = openblas_nolapack.CblasRowMajor;
        NO_TRANS = openblas_nolapack.CblasNoTrans;
        TRANS = openblas_nolapack.CblasTrans;
        setThreads(Integer.getInteger("autogaze.blas.threads", 1));
    }

    private Gemm() {
    }

    /** Sets the number of OpenBLAS threads for the whole process. */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("BLAS thread count " + threads + " must be at least 1");
        }
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(threads);
    }

    public static int threads() {
        return org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads();
    }

    /** C = alpha * op(A) * op(B) + beta * C on off-heap memory; offsets are in elements from each pointer's start. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             FloatPointer a, long aOffset, int lda, FloatPointer b, long bOffset, int ldb,
                             float beta, FloatPointer c, long cOffset, int ldc) {
        check(transA, transB, m, n, k, lda, ldb, ldc);
        checkFits("A", a.capacity(), aOffset, transA ? k : m, lda, transA ? m : k);
        checkFits("B", b.capacity(), bOffset, transB ? n : k, ldb, transB ? k : n);
        checkFits("C", c.capacity(), cOffset, m, ldc, n);
        if (m == 0 || n == 0) {
            return;
        }
        // Offsets go on fresh views: moving the callers' pointers would race when threads share one (the weights).
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                alpha, view(a, aOffset), lda, view(b, bOffset), ldb, beta, view(c, cOffset), ldc);
    }

    /** A pointer to element {@code offset} from the start of {@code p}, leaving {@code p} itself untouched. */
    private static FloatPointer view(FloatPointer p, long offset) {
        return new FloatPointer(p).position(offset);
    }

    /** C = alpha * op(A) * op(B) + beta * C on Java arrays (each matrix starts at element 0). */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc) {
        check(transA, transB, m, n, k, lda, ldb, ldc);
        checkFits("A", a.length, 0, transA ? k : m, lda, transA ? m : k);
        checkFits("B", b.length, 0, transB ? n : k, ldb, transB ? k : n);
        checkFits("C", c.length, 0, m, ldc, n);
        if (m == 0 || n == 0) {
            return;
        }
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /**
     * C = alpha * op(A) * op(B) + beta * C on Java arrays starting at element offsets (e.g. one head's slice). The
     * JNI layer pins or copies each whole array, so keep the arrays small or use the off-heap form.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                             float beta, float[] c, int cOffset, int ldc) {
        check(transA, transB, m, n, k, lda, ldb, ldc);
        checkFits("A", a.length, aOffset, transA ? k : m, lda, transA ? m : k);
        checkFits("B", b.length, bOffset, transB ? n : k, ldb, transB ? k : n);
        checkFits("C", c.length, cOffset, m, ldc, n);
        if (m == 0 || n == 0) {
            return;
        }
        // A heap FloatBuffer passes its array and position through JavaCPP, which is how offsets reach cblas.
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                alpha, FloatBuffer.wrap(a, aOffset, a.length - aOffset), lda,
                FloatBuffer.wrap(b, bOffset, b.length - bOffset), ldb, beta,
                FloatBuffer.wrap(c, cOffset, c.length - cOffset), ldc);
    }

    /** y[m,n] = x[m,k] * W^T with a PyTorch Linear weight W[n,k] (no bias); y is overwritten. */
    public static void linear(float[] x, int m, int k, float[] w, int n, float[] y) {
        sgemm(false, true, m, n, k, 1f, x, k, w, k, 0f, y, n);
    }

    private static void check(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm sizes m=" + m + " n=" + n + " k=" + k + " must not be negative");
        }
        int minLda = Math.max(1, transA ? m : k);
        int minLdb = Math.max(1, transB ? k : n);
        int minLdc = Math.max(1, n);
        if (lda < minLda || ldb < minLdb || ldc < minLdc) {
            throw new IllegalArgumentException("gemm strides lda=" + lda + " ldb=" + ldb + " ldc=" + ldc
                    + " are below the row lengths " + minLda + "/" + minLdb + "/" + minLdc
                    + " (m=" + m + " n=" + n + " k=" + k + ")");
        }
    }

    private static void checkFits(String which, long capacity, long offset, int rows, int stride, int cols) {
        if (rows == 0 || cols == 0) {
            return;
        }
        long need = offset + (long) (rows - 1) * stride + cols;
        if (offset < 0 || need > capacity) {
            throw new IllegalArgumentException("gemm operand " + which + " needs " + need + " floats (offset "
                    + offset + ", " + rows + " rows of stride " + stride + "), has " + capacity);
        }
    }
}
