// Kernels of the AutoGaze CUDA engine (dev.autogaze.model.cuda), compiled once per JVM and device by NVRTC.
//
// The model's sizes arrive as -D defines (H hidden, INTER MLP width, NH heads, NKV key/value heads, HD head dim, KH
// multi-token heads, VOCAB decoder vocabulary, EOS pad id) and the source is compiled with --fmad=false: a product
// and a sum that are not written as fmaf round twice, as in the JVM engine; the hot loops use fmaf on purpose. The
// prefill attention alone runs on the tensor cores, in 3xTF32 (fp32-level error; see attention_prefill).
//
// Determinism and batch-composition invariance: every reduction runs in a fixed order that depends only on the row
// it belongs to (GEMM: k ascending per output element whatever the tile shape or M; norms: one warp per row, a
// butterfly of commutative adds; attention: 64-key tiles at fixed cache indices, the same mma sequence per prefill
// query, chunks of a fixed size for decode queries, merged in order). No atomics touch a sum. A clip therefore gets
// the same bits alone or in any batch.

#ifndef H
#error "H (hidden size) must be defined"
#endif
#if HD != 32
#error "the attention kernels map one lane per head dimension: HD must be 32"
#endif

typedef unsigned char u8;
#define NEG_INF (__int_as_float(0xff800000))
#define QKV_DIM (NH * HD + 2 * NKV * HD)
#define HEAD_OUT (KH * VOCAB + KH)

// ---------------------------------------------------------------------------------------------------------------
// GEMM: C[m][n] = epilogue( sum_{k=0..K-1} A(m, k) * W[n][k] ), W row-major [N][K] (a PyTorch Linear weight).
// ---------------------------------------------------------------------------------------------------------------

#define EPI_STORE 0      // C = acc
#define EPI_BIAS 1       // C = acc + bias[n]
#define EPI_ADD 2        // C = C + acc            (residual)
#define EPI_BIAS_RELU 3  // C = max(acc + bias[n], 0)
#define EPI_BIAS_POS 4   // C = (acc + bias[n]) + extra[(m % extraRows)][n]
#define EPI_SWIGLU 5     // columns 2i, 2i + 1 = gate i, up i (interleaved weights): C[m][i] = silu(gate) * up

// A row-major, lda floats per row.
struct LoadPlain {
    const float* a;
    int lda;
    __device__ __forceinline__ float4 operator()(int m, int k) const {
        return *reinterpret_cast<const float4*>(a + (size_t)m * lda + k);
    }
};

// Patchify: row m = (frame, token), column k = (channel, ky, kx) of frames [F][3][img][img].
struct LoadPatch {
    const float* px;
    int img, patch, grid;
    __device__ __forceinline__ float4 operator()(int m, int k) const {
        int tokens = grid * grid;
        int f = m / tokens, t = m - f * tokens;
        int py = t / grid, pxi = t - py * grid;
        int pp = patch * patch;
        int c = k / pp, r = k - c * pp;
        int ky = r / patch, kx = r - ky * patch;
        const float* p = px + (((size_t)f * 3 + c) * img + py * patch + ky) * img + pxi * patch + kx;
        return *reinterpret_cast<const float4*>(p);
    }
};

// The trunk's 3-D conv as an implicit im2col: row m = (clip, t, i, j), column k = (dt, dy, dx, ci); source frame
// t - (kt - 1) + dt (frames before the clip are the zero front padding), spatial taps outside the grid are zero.
struct LoadTrunk {
    const float* x;
    int frames, grid, hid, kt, ks;
    __device__ __forceinline__ float4 operator()(int m, int k) const {
        int tokens = grid * grid;
        int ft = m / tokens, tok = m - ft * tokens;
        int clip = ft / frames, t = ft - clip * frames;
        int i = tok / grid, j = tok - i * grid;
        int tap = k / hid, ci = k - tap * hid;
        int dt = tap / (ks * ks), rem = tap - dt * ks * ks;
        int dy = rem / ks, dx = rem - dy * ks;
        int st = t - (kt - 1) + dt, si = i + dy - ks / 2, sj = j + dx - ks / 2;
        if (st < 0 || si < 0 || si >= grid || sj < 0 || sj >= grid) {
            return make_float4(0.f, 0.f, 0.f, 0.f);
        }
        return *reinterpret_cast<const float4*>(x + ((size_t)(clip * frames + st) * tokens + si * grid + sj) * hid + ci);
    }
};

__device__ __forceinline__ void epilogue(float v, float* dst, int gm, int gn, int N, int mode,
                                         const float* __restrict__ bias, const float* __restrict__ extra,
                                         int extraRows) {
    switch (mode) {
        case EPI_BIAS: v = v + bias[gn]; break;
        case EPI_ADD: v = *dst + v; break;
        case EPI_BIAS_RELU: v = v + bias[gn]; v = v > 0.f ? v : 0.f; break;
        case EPI_BIAS_POS: v = (v + bias[gn]) + extra[(size_t)(gm % extraRows) * N + gn]; break;
        default: break;
    }
    *dst = v;
}

// silu(gate) * up, the MLP's activation (LlamaMLP: act_fn(gate_proj(x)) * up_proj(x))
__device__ __forceinline__ float swiglu(float gate, float up) {
    return gate / (expf(-gate) + 1.f) * up;
}

// A slice fetched as float4 pieces (piece e = tid + v * THREADS: row e / (BK / 4), columns 4 * (e % (BK / 4)) ..
// + 3) into shared memory transposed, [k][row], so the multiply loop reads a k's rows as float4s.
template <int THREADS, int V, int BK, int LD>
__device__ __forceinline__ void store_transposed(float (&dst)[BK][LD], const float4 (&src)[V], int tid) {
#pragma unroll
    for (int v = 0; v < V; v++) {
        int e = tid + v * THREADS;
        int r = e / (BK / 4), kq = (e % (BK / 4)) * 4;
        dst[kq][r] = src[v].x;
        dst[kq + 1][r] = src[v].y;
        dst[kq + 2][r] = src[v].z;
        dst[kq + 3][r] = src[v].w;
    }
}

template <int BM, int BN, int TM, int TN, class LA>
__device__ __forceinline__ void gemm(const LA la, const float* __restrict__ w, int M, int N, int K,
                                     float* __restrict__ c, int ldc, int mode, const float* __restrict__ bias,
                                     const float* __restrict__ extra, int extraRows) {
    // Two shared buffers: the next 16-column slice of A and W is fetched into registers while the current one is
    // multiplied, then stored into the other buffer (one barrier per slice). k still ascends per output element.
    constexpr int BK = 16;
    constexpr int TX = BN / TN, TY = BM / TM, THREADS = TX * TY;
    constexpr int AV = BM * BK / 4 / THREADS, WV = BN * BK / 4 / THREADS; // float4 per thread and slice
    static_assert(AV * THREADS * 4 == BM * BK && WV * THREADS * 4 == BN * BK, "tile and thread counts");
    __shared__ __align__(16) float as[2][BK][BM + 4];
    __shared__ __align__(16) float ws[2][BK][BN + 4];
    const int tid = threadIdx.x, tx = tid % TX, ty = tid / TX;
    const int m0 = blockIdx.y * BM, n0 = blockIdx.x * BN;
    float acc[TM][TN] = {};
    float4 ar[AV], wr[WV];
    auto fetch = [&](int k0) {
#pragma unroll
        for (int v = 0; v < AV; v++) {
            int e = tid + v * THREADS;
            int r = e / (BK / 4), kq = (e % (BK / 4)) * 4;
            int gm = m0 + r, gk = k0 + kq;
            ar[v] = (gm < M && gk < K) ? la(gm, gk) : make_float4(0.f, 0.f, 0.f, 0.f);
        }
#pragma unroll
        for (int v = 0; v < WV; v++) {
            int e = tid + v * THREADS;
            int r = e / (BK / 4), kq = (e % (BK / 4)) * 4;
            int gn = n0 + r, gk = k0 + kq;
            wr[v] = (gn < N && gk < K) ? *reinterpret_cast<const float4*>(w + (size_t)gn * K + gk)
                                       : make_float4(0.f, 0.f, 0.f, 0.f);
        }
    };
    auto store = [&](int b) {
        store_transposed<THREADS>(as[b], ar, tid);
        store_transposed<THREADS>(ws[b], wr, tid);
    };
    fetch(0);
    store(0);
    __syncthreads();
    int b = 0;
    for (int k0 = 0; k0 < K; k0 += BK) {
        const bool more = k0 + BK < K;
        if (more) {
            fetch(k0 + BK);
        }
#pragma unroll
        for (int kk = 0; kk < BK; kk++) {
            float a[TM], bv[TN];
#pragma unroll
            for (int i = 0; i < TM; i += 4) {
                float4 v = *reinterpret_cast<const float4*>(&as[b][kk][ty * TM + i]);
                a[i] = v.x;
                a[i + 1] = v.y;
                a[i + 2] = v.z;
                a[i + 3] = v.w;
            }
#pragma unroll
            for (int j = 0; j < TN; j += 4) {
                float4 v = *reinterpret_cast<const float4*>(&ws[b][kk][tx * TN + j]);
                bv[j] = v.x;
                bv[j + 1] = v.y;
                bv[j + 2] = v.z;
                bv[j + 3] = v.w;
            }
#pragma unroll
            for (int i = 0; i < TM; i++) {
#pragma unroll
                for (int j = 0; j < TN; j++) {
                    acc[i][j] = fmaf(a[i], bv[j], acc[i][j]);
                }
            }
        }
        if (more) {
            store(b ^ 1); // the other buffer: its last readers passed the barrier below one slice ago
            __syncthreads();
            b ^= 1;
        }
    }
#pragma unroll
    for (int i = 0; i < TM; i++) {
        int gm = m0 + ty * TM + i;
        if (gm >= M) {
            continue;
        }
        if (mode == EPI_SWIGLU) { // a thread's TN columns are whole (gate, up) pairs; ldc is N / 2
#pragma unroll
            for (int j = 0; j < TN; j += 2) {
                int gn = n0 + tx * TN + j;
                if (gn < N) {
                    c[(size_t)gm * ldc + gn / 2] = swiglu(acc[i][j], acc[i][j + 1]);
                }
            }
            continue;
        }
#pragma unroll
        for (int j = 0; j < TN; j++) {
            int gn = n0 + tx * TN + j;
            if (gn >= N) {
                continue;
            }
            epilogue(acc[i][j], c + (size_t)gm * ldc + gn, gm, gn, N, mode, bias, extra, extraRows);
        }
    }
}

// 128 x 64 tiles, 256 threads: prefills of large batches and the encoder (gemm_plain_m and gemm_small below take
// smaller calls). The tile shape never changes an element's order of accumulation.
extern "C" __global__ void __launch_bounds__(256)
gemm_plain_l(const float* a, int lda, const float* w, int M, int N, int K, float* c, int ldc, int mode,
             const float* bias, const float* extra, int extraRows) {
    gemm<128, 64, 8, 4>(LoadPlain{a, lda}, w, M, N, K, c, ldc, mode, bias, extra, extraRows);
}

// 64 x 64 tiles, 128 threads: calls of 512 to 8,191 rows (a decode step of a large batch: rows x K tokens), where
// the 128 x 64 tiles leave multiprocessors idle. Measured against gemm_small's cp.async pipeline at 64 x 32 (its
// shared-memory reads, not memory, bound it) and the 32 x 64 tiles: fastest there (docs/performance.md).
extern "C" __global__ void __launch_bounds__(128)
gemm_plain_m(const float* a, int lda, const float* w, int M, int N, int K, float* c, int ldc, int mode,
             const float* bias, const float* extra, int extraRows) {
    gemm<64, 64, 8, 4>(LoadPlain{a, lda}, w, M, N, K, c, ldc, mode, bias, extra, extraRows);
}

extern "C" __global__ void __launch_bounds__(256)
gemm_patch(const float* px, int img, int patch, int grid, const float* w, int M, int N, int K, float* c, int ldc,
           int mode, const float* bias) {
    gemm<128, 64, 8, 4>(LoadPatch{px, img, patch, grid}, w, M, N, K, c, ldc, mode, bias, nullptr, 1);
}

extern "C" __global__ void __launch_bounds__(256)
gemm_trunk(const float* x, int frames, int grid, int hid, int kt, int ks, const float* w, int M, int N, int K,
           float* c, int ldc, int mode, const float* bias) {
    gemm<128, 64, 8, 4>(LoadTrunk{x, frames, grid, hid, kt, ks}, w, M, N, K, c, ldc, mode, bias, nullptr, 1);
}

// ---------------------------------------------------------------------------------------------------------------
// Norms and elementwise work
// ---------------------------------------------------------------------------------------------------------------

__device__ __forceinline__ float warp_sum(float s) {
    // a butterfly of commutative adds: every lane ends with the same bits
    for (int o = 16; o > 0; o >>= 1) {
        s += __shfl_xor_sync(0xffffffffu, s, o);
    }
    return s;
}

// 1 / sqrt(mean(x^2) + eps) of one row of H, by one warp (every lane gets the same bits)
__device__ __forceinline__ float rms_inverse(const float* __restrict__ xr, int lane, float eps) {
    float s = 0.f;
    for (int i = lane; i < H; i += 32) {
        float e = xr[i];
        s = s + e * e;
    }
    s = warp_sum(s);
    return 1.0f / sqrtf(s / (float)H + eps);
}

// LlamaRMSNorm, one warp per row: y[r] = w * (x[src] * (1 / sqrt(mean(x^2) + eps))); src = rowsIn[r] or r.
extern "C" __global__ void rmsnorm(const float* __restrict__ x, const int* __restrict__ rowsIn,
                                   float* __restrict__ y, const float* __restrict__ w, int rows, float eps) {
    int r = (blockIdx.x * blockDim.x + threadIdx.x) >> 5, lane = threadIdx.x & 31;
    if (r >= rows) {
        return;
    }
    const float* xr = x + (size_t)(rowsIn ? rowsIn[r] : r) * H;
    float inv = rms_inverse(xr, lane, eps);
    float* yr = y + (size_t)r * H;
    for (int i = lane; i < H; i += 32) {
        yr[i] = w[i] * (xr[i] * inv);
    }
}

// The encoder's LayerNorm over channels, in place, one warp per row: biased variance, eps inside the root.
extern "C" __global__ void layernorm(float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b,
                                     int rows, int n, float eps) {
    int r = (blockIdx.x * blockDim.x + threadIdx.x) >> 5, lane = threadIdx.x & 31;
    if (r >= rows) {
        return;
    }
    float* xr = x + (size_t)r * n;
    float s = 0.f;
    for (int i = lane; i < n; i += 32) {
        s = s + xr[i];
    }
    float mean = warp_sum(s) / (float)n;
    float q = 0.f;
    for (int i = lane; i < n; i += 32) {
        float d = xr[i] - mean;
        q = q + d * d;
    }
    float rstd = 1.0f / sqrtf(warp_sum(q) / (float)n + eps);
    for (int i = lane; i < n; i += 32) {
        xr[i] = (xr[i] - mean) * rstd * w[i] + b[i];
    }
}

// h[t] = embed[src] for a token id src >= 0, else vision token (-src - 1) of the token's batch row, counted over its
// frames (frame * vis + token), so a call's arguments do not name its frame.
extern "C" __global__ void gather_input(const int* __restrict__ tokRow, const int* __restrict__ tokSrc, int tokens,
                                        const float* __restrict__ embed, const float* __restrict__ vision, int frames,
                                        int vis, float* __restrict__ h) {
    int t = blockIdx.x;
    if (t >= tokens) {
        return;
    }
    int src = tokSrc[t];
    const float* from = src >= 0 ? embed + (size_t)src * H
                                 : vision + ((size_t)tokRow[t] * frames * vis + (-src - 1)) * H;
    for (int i = threadIdx.x; i < H; i += blockDim.x) {
        h[(size_t)t * H + i] = from[i];
    }
}

// dst[r] = src[idx[r]] (the last token of each batch row, for the last layer and the output heads).
extern "C" __global__ void gather_rows(const float* __restrict__ src, const int* __restrict__ idx, int rows,
                                       float* __restrict__ dst) {
    int r = blockIdx.x;
    if (r >= rows) {
        return;
    }
    for (int i = threadIdx.x; i < H; i += blockDim.x) {
        dst[(size_t)r * H + i] = src[(size_t)idx[r] * H + i];
    }
}

// ---------------------------------------------------------------------------------------------------------------
// GEMM for a few rows (decode steps of small batches), where the tiled GEMM waits on memory once per 16-wide slice of
// k. Block (16 weight columns, 8 rows of A), one warp: it copies its whole weight tile (16 columns x K of the
// transposed weight wt[K][N]) and its rows of A into shared memory with cp.async (one round trip), then each lane
// runs a few sums side by side, k ascending from 0 with fmaf: the same bits as the tiled GEMM. Variants fold in
// the operations around a projection so they need no kernels of their own:
//   gemm_rows_norm: A = w * (x * rms_inverse(x)), as rmsnorm;
//   gemm_rows_swiglu: the same norm, then the gate/up projection with its columns interleaved (gate i, up i) and
//   out[r][i] = swiglu(gate, up) as the tiled GEMM's EPI_SWIGLU, so a lane owns a column pair.
// ---------------------------------------------------------------------------------------------------------------

#define ROWS_MAX 16    // the host's limit for this kernel
#define ROWS_BLOCK 8   // rows of A per block
#define ROWS_COLS 16   // weight columns per block
#define ROWS_KMAX (H > INTER ? (H > NH * HD ? H : NH * HD) : (INTER > NH * HD ? INTER : NH * HD))

__device__ __forceinline__ void cp_async16(void* smem, const void* gmem) {
    unsigned s = (unsigned)__cvta_generic_to_shared(smem);
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(s), "l"(gmem));
}

template <bool NORM, bool SWIGLU>
__device__ __forceinline__ void gemm_rows(const float* __restrict__ a, int lda, const float* __restrict__ pw,
                                          float eps, const float* __restrict__ wt, int M, int N, int K,
                                          float* __restrict__ c, int ldc, int mode) {
    __shared__ __align__(16) float ws[ROWS_KMAX][ROWS_COLS];
    __shared__ __align__(16) float as[ROWS_BLOCK][ROWS_KMAX];
    static_assert(sizeof(ws) + sizeof(as) <= 48 * 1024, "gemm_rows: shared memory over 48 KB for these sizes");
    const int lane = threadIdx.x;
    const int n0 = blockIdx.x * ROWS_COLS, m0 = blockIdx.y * ROWS_BLOCK, rows = min(ROWS_BLOCK, M - m0);
    for (int e = lane; e < K * (ROWS_COLS / 4); e += 32) { // N % 4 == 0 and K % 4 == 0: whole 16-byte pieces
        int k = e / (ROWS_COLS / 4), q = (e % (ROWS_COLS / 4)) * 4;
        if (n0 + q < N) {
            cp_async16(&ws[k][q], wt + (size_t)k * N + n0 + q);
        }
    }
    for (int e = lane; e < rows * (K / 4); e += 32) {
        int r = e / (K / 4), q = (e % (K / 4)) * 4;
        cp_async16(&as[r][q], a + (size_t)(m0 + r) * lda + q);
    }
    asm volatile("cp.async.commit_group;\n" ::);
    asm volatile("cp.async.wait_all;\n" ::);
    __syncwarp();
    if (NORM) {
        for (int r = 0; r < rows; r++) {
            float inv = rms_inverse(&as[r][0], lane, eps);
            __syncwarp(); // every lane has read the row before it is overwritten
            for (int k = lane; k < K; k += 32) {
                as[r][k] = pw[k] * (as[r][k] * inv);
            }
        }
        __syncwarp();
    }
    if (!SWIGLU) {
        // lane: column n0 + lane % 16, rows 4 * (lane / 16) .. + 3 of the block
        const int col = lane % ROWS_COLS, r0 = (lane / ROWS_COLS) * 4, n = n0 + col;
        if (n >= N || r0 >= rows) {
            return;
        }
        float acc[4] = {0.f, 0.f, 0.f, 0.f};
#pragma unroll 4
        for (int k = 0; k < K; k++) {
            float wv = ws[k][col];
#pragma unroll
            for (int j = 0; j < 4; j++) {
                acc[j] = fmaf(as[r0 + j][k], wv, acc[j]); // rows past the block's read stale values, never stored
            }
        }
#pragma unroll
        for (int j = 0; j < 4; j++) {
            if (r0 + j < rows) {
                epilogue(acc[j], c + (size_t)(m0 + r0 + j) * ldc + n, m0 + r0 + j, n, N, mode, nullptr, nullptr, 1);
            }
        }
    } else {
        // lane: column pair lane % 8 (gate, up of output i), rows 2 * (lane / 8) .. + 1
        const int pair = lane % (ROWS_COLS / 2), r0 = (lane / (ROWS_COLS / 2)) * 2, i = n0 / 2 + pair;
        if (n0 + 2 * pair >= N || r0 >= rows) {
            return;
        }
        float g0 = 0.f, u0 = 0.f, g1 = 0.f, u1 = 0.f;
#pragma unroll 4
        for (int k = 0; k < K; k++) {
            float2 wv = *reinterpret_cast<const float2*>(&ws[k][2 * pair]);
            float a0 = as[r0][k], a1 = as[r0 + 1][k];
            g0 = fmaf(a0, wv.x, g0);
            u0 = fmaf(a0, wv.y, u0);
            g1 = fmaf(a1, wv.x, g1);
            u1 = fmaf(a1, wv.y, u1);
        }
        c[(size_t)(m0 + r0) * ldc + i] = swiglu(g0, u0);
        if (r0 + 1 < rows) {
            c[(size_t)(m0 + r0 + 1) * ldc + i] = swiglu(g1, u1);
        }
    }
}

#define GEMM_ROWS(name, NORM, SWIGLU)                                                                              \
    extern "C" __global__ void __launch_bounds__(32)                                                               \
    name(const float* a, int lda, const float* pw, float eps, const float* wt, int M, int N, int K, float* c,     \
         int ldc, int mode) {                                                                                      \
        gemm_rows<NORM, SWIGLU>(a, lda, pw, eps, wt, M, N, K, c, ldc, mode);                                       \
    }
GEMM_ROWS(gemm_rows, false, false)
GEMM_ROWS(gemm_rows_norm, true, false)
GEMM_ROWS(gemm_rows_swiglu, true, true)

// ---------------------------------------------------------------------------------------------------------------
// GEMM for small calls (17 to 511 rows: a prefill or decode step of a small batch, the last layer's rows), where even
// 64-row tiles leave most multiprocessors idle: BM x 32 tiles and a three-stage cp.async pipeline over 32-wide slices
// of k (rows and columns past the matrix are zero-filled); k still ascends per output element with fmaf: the tiled
// GEMM's bits. A thread owns rows ty + TY*i (a warp reads four consecutive rows: distinct banks) and columns 2tx,
// 2tx + 1, 2tx + 16, 2tx + 17 (whole gate/up pairs for EPI_SWIGLU).
// ---------------------------------------------------------------------------------------------------------------

#define STAGED_BN 32
#define STAGED_BK 32
#define STAGED_STAGES 3

__device__ __forceinline__ void cp_async16_or_zero(void* smem, const void* gmem, bool copy) {
    unsigned s = (unsigned)__cvta_generic_to_shared(smem);
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(s), "l"(gmem), "r"(copy ? 16 : 0));
}

template <int BM>
__device__ __forceinline__ void gemm_staged(const float* __restrict__ a, int lda, const float* __restrict__ w, int M,
                                            int N, int K, float* __restrict__ c, int ldc, int mode) {
    constexpr int BN = STAGED_BN, BK = STAGED_BK, STAGES = STAGED_STAGES, PAD = BK + 4; // rows 16-byte aligned
    constexpr int TM = 4, TN = 4, TX = BN / TN, TY = BM / TM, THREADS = TX * TY;
    __shared__ __align__(16) float as[STAGES][BM][PAD];
    __shared__ __align__(16) float ws[STAGES][BN][PAD];
    static_assert(sizeof(as) + sizeof(ws) <= 48 * 1024, "gemm_staged: shared memory over 48 KB");
    const int tid = threadIdx.x, tx = tid % TX, ty = tid / TX;
    const int m0 = blockIdx.y * BM, n0 = blockIdx.x * BN;
    const int slices = (K + BK - 1) / BK;
    auto issue = [&](int slice) { // one commit group per slice, empty past the last
        if (slice < slices) {
            const int st = slice % STAGES, k0 = slice * BK;
            for (int e = tid; e < BM * BK / 4; e += THREADS) {
                int r = e / (BK / 4), kq = (e % (BK / 4)) * 4, gm = m0 + r, gk = k0 + kq;
                bool ok = gm < M && gk < K;
                cp_async16_or_zero(&as[st][r][kq], ok ? a + (size_t)gm * lda + gk : a, ok);
            }
            for (int e = tid; e < BN * BK / 4; e += THREADS) {
                int r = e / (BK / 4), kq = (e % (BK / 4)) * 4, gn = n0 + r, gk = k0 + kq;
                bool ok = gn < N && gk < K;
                cp_async16_or_zero(&ws[st][r][kq], ok ? w + (size_t)gn * K + gk : w, ok);
            }
        }
        asm volatile("cp.async.commit_group;\n" ::);
    };
    float acc[TM][TN] = {};
    for (int s = 0; s < STAGES - 1; s++) {
        issue(s);
    }
    for (int s = 0; s < slices; s++) {
        asm volatile("cp.async.wait_group %0;\n" ::"n"(STAGES - 2)); // this thread's copies of slice s are done
        __syncthreads(); // everyone's are, and every thread is past slice s - 1, whose stage is refilled next
        issue(s + STAGES - 1);
        const int st = s % STAGES;
#pragma unroll
        for (int kk = 0; kk < BK; kk += 4) {
            float4 av[TM], wv[TN];
#pragma unroll
            for (int i = 0; i < TM; i++) {
                av[i] = *reinterpret_cast<const float4*>(&as[st][ty + TY * i][kk]);
            }
#pragma unroll
            for (int j = 0; j < TN; j++) {
                wv[j] = *reinterpret_cast<const float4*>(&ws[st][2 * tx + (j & 1) + 16 * (j >> 1)][kk]);
            }
#pragma unroll
            for (int i = 0; i < TM; i++) {
#pragma unroll
                for (int j = 0; j < TN; j++) {
                    acc[i][j] = fmaf(av[i].x, wv[j].x, acc[i][j]);
                    acc[i][j] = fmaf(av[i].y, wv[j].y, acc[i][j]);
                    acc[i][j] = fmaf(av[i].z, wv[j].z, acc[i][j]);
                    acc[i][j] = fmaf(av[i].w, wv[j].w, acc[i][j]);
                }
            }
        }
    }
    asm volatile("cp.async.wait_all;\n" ::); // the trailing empty groups
#pragma unroll
    for (int i = 0; i < TM; i++) {
        int gm = m0 + ty + TY * i;
        if (gm >= M) {
            continue;
        }
#pragma unroll
        for (int j = 0; j < TN; j += 2) {
            int gn = n0 + 2 * tx + 16 * (j >> 1);
            if (mode == EPI_SWIGLU) {
                if (gn < N) {
                    c[(size_t)gm * ldc + gn / 2] = swiglu(acc[i][j], acc[i][j + 1]);
                }
                continue;
            }
#pragma unroll
            for (int u = 0; u < 2; u++) {
                if (gn + u < N) {
                    epilogue(acc[i][j + u], c + (size_t)gm * ldc + gn + u, gm, gn + u, N, mode, nullptr, nullptr, 1);
                }
            }
        }
    }
}

extern "C" __global__ void __launch_bounds__(64)
gemm_small(const float* a, int lda, const float* w, int M, int N, int K, float* c, int ldc, int mode) {
    gemm_staged<32>(a, lda, w, M, N, K, c, ldc, mode);
}

// ---------------------------------------------------------------------------------------------------------------
// RoPE and the KV cache.
// Keys are stored transposed in blocks of 64 positions, [row][kvHead][cap / 64][HD][64], so an attention tile loads
// one contiguous block; values [row][kvHead][cap][HD].
// ---------------------------------------------------------------------------------------------------------------

__device__ __forceinline__ size_t key_at(int row, int kh, int idx, int d, int cap) {
    return (((size_t)row * NKV + kh) * (cap / 64) + idx / 64) * (HD * 64) + d * 64 + (idx & 63);
}

// Rotates q and k of each new token (rotate_half convention, cos/sin tabulated per position), stores k and v at the
// token's cache index, the rotated q for attention, and the token's key-mask value. A block takes `per` consecutive
// tokens (a row's tokens sit at consecutive cache indices), and the key stores run token-fastest: the transposed key
// blocks then take runs of consecutive floats instead of one float per 256-byte row (large calls; a small call
// runs one token a block, for latency).
extern "C" __global__ void rope_store(const float* __restrict__ qkv, int tokens, int per,
                                      const int* __restrict__ tokRow, const int* __restrict__ tokIdx,
                                      const int* __restrict__ tokPos,
                                      const int* __restrict__ tokMask, const float* __restrict__ cosT,
                                      const float* __restrict__ sinT, float* __restrict__ q, float* __restrict__ kc,
                                      float* __restrict__ vc, u8* __restrict__ mask, int cap) {
    const int t0 = blockIdx.x * per, nt = min(per, tokens - t0);
    const int half = HD / 2;
    for (int e = threadIdx.x; e < nt * NH * half; e += blockDim.x) {
        int j = e / (NH * half), r = e - j * (NH * half), hd = r / half, i = r - hd * half, t = t0 + j;
        const float* src = qkv + (size_t)t * QKV_DIM;
        int pos = tokPos[t];
        float a = src[hd * HD + i], b = src[hd * HD + half + i];
        float c = cosT[(size_t)pos * half + i], s = sinT[(size_t)pos * half + i];
        float* dst = q + (size_t)t * (NH * HD) + hd * HD;
        dst[i] = a * c + (-b) * s;
        dst[half + i] = b * c + a * s;
    }
    for (int e = threadIdx.x; e < NKV * half * nt; e += blockDim.x) {
        int r = e / nt, j = e - r * nt, kh = r / half, i = r - kh * half, t = t0 + j;
        const float* ks = qkv + (size_t)t * QKV_DIM + NH * HD;
        int row = tokRow[t], idx = tokIdx[t], pos = tokPos[t];
        float a = ks[kh * HD + i], b = ks[kh * HD + half + i];
        float c = cosT[(size_t)pos * half + i], s = sinT[(size_t)pos * half + i];
        kc[key_at(row, kh, idx, i, cap)] = a * c + (-b) * s;
        kc[key_at(row, kh, idx, half + i, cap)] = b * c + a * s;
    }
    for (int e = threadIdx.x; e < NKV * nt * HD; e += blockDim.x) {
        int kh = e / (nt * HD), r = e - kh * (nt * HD), j = r / HD, d = r - j * HD, t = t0 + j;
        vc[(((size_t)tokRow[t] * NKV + kh) * cap + tokIdx[t]) * HD + d] = qkv[(size_t)t * QKV_DIM + (NH + NKV) * HD
                                                                              + kh * HD + d];
    }
    if (threadIdx.x < nt) {
        int t = t0 + threadIdx.x;
        mask[(size_t)tokRow[t] * cap + tokIdx[t]] = (u8)tokMask[t];
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Prefill attention, flash style, on the tensor cores. A query tile = {batch row, first token, token count <= 16 per
// warp, first output row}; its tokens sit at consecutive cache indices. Block (tile, head): warps of 16 queries run
// the keys up to the tile's last query in 64-key tiles with an online softmax and write each query's output (a
// prefill's tiles are few and wide, so the cache is not split into chunks).
//
// Products run as 3xTF32 (mma.sync m16n8k8, fp32 accumulation): x = big + small with big = tf32(x) and
// small = tf32(x - big), and a*b is taken as a_small*b_big + a_big*b_small + a_big*b_big. The dropped small*small
// term is 2^-22 of the product, so a score or an output carries fp32's error, not TF32's. Per query the arithmetic
// depends only on that query and the keys: the same mma sequence over the same 64-key tiles whatever else the tile
// or the batch holds. Decode steps run attention_decode below, with arithmetic of their own; a token is a prefill
// token or a decode token by its own row's state, never by the batch.
// ---------------------------------------------------------------------------------------------------------------

#define ATT_KPAD 72     // padded row of the transposed key tile: a warp's B fragments hit 32 different banks
#define ATT_VPAD 36     // padded row of the value tile, likewise

// The online softmax's exponentials without branches, so a tile's exps interleave instead of running one by one
// behind a branch each (they were the attention kernels' longest dependency chains). expf(-inf) is exactly +0, so a
// hidden key (score -inf) needs no test: p = expf(s - base) is 0. Only a row that sees nothing yet (running max
// mNew = -inf) needs care: its base is taken as 0, so no -inf - -inf NaN arises and every p is still 0; its alpha
// is 1, and a row seeing its first keys (m = -inf) gets alpha = expf(-inf) = 0. The same bits as the tests
// "s == -inf ? 0 : expf(s - mNew)" and "m == -inf ? 0 : expf(m - mNew)" that they replace.
__device__ __forceinline__ float softmax_base(float mNew) {
    return mNew == NEG_INF ? 0.f : mNew;
}

__device__ __forceinline__ float softmax_alpha(float m, float mNew, float base) {
    const float e = expf(m - base);
    return mNew == NEG_INF ? 1.f : e;
}

__device__ __forceinline__ unsigned to_tf32(float x) {
    unsigned r;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
    return r;
}

__device__ __forceinline__ void split_tf32(float x, unsigned& big, unsigned& small) {
    big = to_tf32(x);
    small = to_tf32(x - __uint_as_float(big));
}

__device__ __forceinline__ void split_tf32(float4 x, uint4& big, uint4& small) {
    split_tf32(x.x, big.x, small.x);
    split_tf32(x.y, big.y, small.y);
    split_tf32(x.z, big.z, small.z);
    split_tf32(x.w, big.w, small.w);
}

// d += a * b for one m16n8k8 TF32 tile (fragments as in the PTX ISA: g = lane / 4, t = lane % 4; a0 (g, t),
// a1 (g + 8, t), a2 (g, t + 4), a3 (g + 8, t + 4); b0 (k t, n g), b1 (k t + 4, n g); d0, d1 (g, 2t and 2t + 1),
// d2, d3 (g + 8, 2t and 2t + 1))
__device__ __forceinline__ void mma_tf32(float (&d)[4], const unsigned (&a)[4], unsigned b0, unsigned b1) {
    asm("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

// d += a * b in 3xTF32: the small terms first, then big * big
__device__ __forceinline__ void mma_3xtf32(float (&d)[4], const unsigned (&aBig)[4], const unsigned (&aSmall)[4],
                                           unsigned bBig0, unsigned bBig1, unsigned bSmall0, unsigned bSmall1) {
    mma_tf32(d, aSmall, bBig0, bBig1);
    mma_tf32(d, aBig, bSmall0, bSmall1);
    mma_tf32(d, aBig, bBig0, bBig1);
}

// The prefill attention's body, for blocks of THREADS / 32 warps (attention_prefill below). A template, not the
// kernel itself: the kernel's own pointer parameters carry no __restrict__, so its loads keep the measured code.
template <int THREADS>
__device__ __forceinline__ void prefill_tiles(const int4* __restrict__ tiles, const float* __restrict__ q,
                                              const int* __restrict__ tokIdx, const float* __restrict__ kc,
                                              const float* __restrict__ vc, const u8* __restrict__ mask, int cap,
                                              float scale, float* __restrict__ out) {
    const int4 tile = tiles[blockIdx.x];
    const int h = blockIdx.y, kh = h / (NH / NKV);
    const int row = tile.x, tok0 = tile.y, n = tile.z, out0 = tile.w;
    const int kEnd = tokIdx[tok0 + n - 1] + 1; // keys 0 .. the tile's last query
    // the key and value tiles, split once into their big and small TF32 parts
    __shared__ __align__(16) unsigned kBig[HD][ATT_KPAD], kSmall[HD][ATT_KPAD];
    __shared__ __align__(16) unsigned vBig[64][ATT_VPAD], vSmall[64][ATT_VPAD];
    const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31, g = lane >> 2, t = lane & 3;
    const int q0 = warp * 16; // the warp's queries q0 .. q0 + 15 of the tile; rows g and g + 8 are this lane's
    const bool live = q0 < n;
    const int warpLast = live ? tokIdx[tok0 + min(q0 + 15, n - 1)] : -1; // the warp's last (highest) query index
    int qi[2];
    unsigned qBig[HD / 8][4], qSmall[HD / 8][4]; // A fragments of Q, one per 8 dimensions
#pragma unroll
    for (int r = 0; r < 2; r++) {
        int i = q0 + g + 8 * r;
        qi[r] = i < n ? tokIdx[tok0 + i] : -1;
    }
#pragma unroll
    for (int kk = 0; kk < HD / 8; kk++) {
#pragma unroll
        for (int e = 0; e < 4; e++) {
            int i = q0 + g + 8 * (e & 1), d = kk * 8 + t + 4 * (e >> 1);
            float x = i < n ? q[(size_t)(tok0 + i) * (NH * HD) + h * HD + d] : 0.f;
            split_tf32(x, qBig[kk][e], qSmall[kk][e]);
        }
    }
    float m[2] = {NEG_INF, NEG_INF}, l[2] = {0.f, 0.f};
    float o[HD / 8][4] = {}; // output fragments, one per 8 dimensions
    const u8* mrow = mask + (size_t)row * cap;
    const float* kbase = kc + ((size_t)row * NKV + kh) * (size_t)cap * HD;
    const float* vbase = vc + ((size_t)row * NKV + kh) * (size_t)cap * HD;
    constexpr int PIECES = HD * 64 / 4; // float4 of keys (and of values) per tile
    static_assert(PIECES % THREADS == 0, "every thread moves the same number of a tile's float4s");
    constexpr int PER = PIECES / THREADS;
    float4 kr[PER], vr[PER];
    auto fetch = [&](int k0) {
#pragma unroll
        for (int p = 0; p < PER; p++) {
            kr[p] = reinterpret_cast<const float4*>(kbase + (size_t)(k0 / 64) * HD * 64)[tid + p * THREADS];
            vr[p] = reinterpret_cast<const float4*>(vbase + (size_t)k0 * HD)[tid + p * THREADS];
        }
    };
    auto store = [&]() {
#pragma unroll
        for (int p = 0; p < PER; p++) {
            int e = (tid + p * THREADS) * 4;
            uint4 b, s;
            split_tf32(kr[p], b, s);
            *reinterpret_cast<uint4*>(&kBig[e / 64][e % 64]) = b;
            *reinterpret_cast<uint4*>(&kSmall[e / 64][e % 64]) = s;
            split_tf32(vr[p], b, s);
            *reinterpret_cast<uint4*>(&vBig[e / HD][e % HD]) = b;
            *reinterpret_cast<uint4*>(&vSmall[e / HD][e % HD]) = s;
        }
    };
    fetch(0);
    for (int k0 = 0; k0 < kEnd; k0 += 64) {
        __syncthreads(); // every warp is done with the previous tile
        store();
        __syncthreads();
        if (k0 + 64 < kEnd) {
            fetch(k0 + 64); // in flight while this tile is used
        }
        if (k0 > warpLast) {
            continue; // every key of the tile is after the warp's queries: the softmax would not change
        }
        // S = Q K^T: fragment j holds keys k0 + 8j + 2t and + 1 of rows g and g + 8
        float s[8][4] = {};
#pragma unroll
        for (int j = 0; j < 8; j++) {
#pragma unroll
            for (int kk = 0; kk < HD / 8; kk++) {
                mma_3xtf32(s[j], qBig[kk], qSmall[kk], kBig[kk * 8 + t][j * 8 + g], kBig[kk * 8 + t + 4][j * 8 + g],
                           kSmall[kk * 8 + t][j * 8 + g], kSmall[kk * 8 + t + 4][j * 8 + g]);
            }
        }
        float mx[2] = {NEG_INF, NEG_INF};
#pragma unroll
        for (int j = 0; j < 8; j++) {
            const int ka = k0 + j * 8 + 2 * t;
            const uchar2 mk = *reinterpret_cast<const uchar2*>(mrow + ka);
#pragma unroll
            for (int e = 0; e < 4; e++) {
                int key = ka + (e & 1), r = e >> 1;
                bool ok = key <= qi[r] && key < kEnd && ((e & 1) ? mk.y : mk.x) != 0;
                s[j][e] = ok ? s[j][e] * scale : NEG_INF;
                mx[r] = fmaxf(mx[r], s[j][e]);
            }
        }
        float alpha[2], ls[2];
#pragma unroll
        for (int r = 0; r < 2; r++) {
            mx[r] = fmaxf(mx[r], __shfl_xor_sync(0xffffffffu, mx[r], 1));
            mx[r] = fmaxf(mx[r], __shfl_xor_sync(0xffffffffu, mx[r], 2));
            float mNew = fmaxf(m[r], mx[r]);
            const float mSafe = softmax_base(mNew);
            alpha[r] = softmax_alpha(m[r], mNew, mSafe);
            ls[r] = 0.f;
#pragma unroll
            for (int j = 0; j < 8; j++) {
#pragma unroll
                for (int e = 2 * r; e < 2 * r + 2; e++) {
                    float p = expf(s[j][e] - mSafe); // 0 for a hidden key: see softmax_base
                    s[j][e] = p;
                    ls[r] = ls[r] + p;
                }
            }
            m[r] = mNew;
        }
#pragma unroll
        for (int r = 0; r < 2; r++) {
            ls[r] = ls[r] + __shfl_xor_sync(0xffffffffu, ls[r], 1);
            ls[r] = ls[r] + __shfl_xor_sync(0xffffffffu, ls[r], 2);
            l[r] = l[r] * alpha[r] + ls[r];
#pragma unroll
            for (int nt = 0; nt < HD / 8; nt++) {
                o[nt][2 * r] = o[nt][2 * r] * alpha[r];
                o[nt][2 * r + 1] = o[nt][2 * r + 1] * alpha[r];
            }
        }
        // O += P V. The k index of key block j is permuted (k = t: key 8j + 2t, k = t + 4: key 8j + 2t + 1), so P's
        // A fragment is this lane's own S fragment and the value rows follow the same order.
#pragma unroll
        for (int j = 0; j < 8; j++) {
            unsigned pBig[4], pSmall[4];
            split_tf32(s[j][0], pBig[0], pSmall[0]);
            split_tf32(s[j][2], pBig[1], pSmall[1]);
            split_tf32(s[j][1], pBig[2], pSmall[2]);
            split_tf32(s[j][3], pBig[3], pSmall[3]);
            const int ka = j * 8 + 2 * t;
#pragma unroll
            for (int nt = 0; nt < HD / 8; nt++) {
                mma_3xtf32(o[nt], pBig, pSmall, vBig[ka][nt * 8 + g], vBig[ka + 1][nt * 8 + g],
                           vSmall[ka][nt * 8 + g], vSmall[ka + 1][nt * 8 + g]);
            }
        }
    }
    if (!live) {
        return;
    }
#pragma unroll
    for (int r = 0; r < 2; r++) {
        int i = q0 + g + 8 * r;
        if (i >= n) {
            continue;
        }
        float* y = out + (size_t)(out0 + i) * (NH * HD) + h * HD;
#pragma unroll
        for (int nt = 0; nt < HD / 8; nt++) {
            *reinterpret_cast<float2*>(y + nt * 8 + 2 * t) = make_float2(o[nt][2 * r] / l[r], o[nt][2 * r + 1] / l[r]);
        }
    }
}

// 8 warps at 128 registers, 2 blocks a multiprocessor: 16 warps, the most its register file holds at that size (each
// of its 4 schedulers keeps 16K registers: 4 warps of 128). A row's prefill (the previous frame's last K tokens and
// the vision tokens, 204 for the released model) is 2 tiles of at most 128 queries (8 and 5 busy warps), not 3 of 96
// (6, 6 and 1 busy warps of 6 at 168 registers, 2 blocks: the last block held 5 idle warps' registers for its whole
// walk), and each key tile is loaded and split twice instead of 3 times. The cap spills a few registers to the stack
// (L1). Measured against 6 warps and against 7 at 144 registers (1 block a multiprocessor): docs/performance.md
#define PREFILL_THREADS 256
extern "C" __global__ void __launch_bounds__(PREFILL_THREADS, 2)
attention_prefill(const int4* tiles, const float* q, const int* tokIdx, const float* kc, const float* vc,
                  const u8* mask, int cap, float scale, float* out) {
    prefill_tiles<PREFILL_THREADS>(tiles, q, tokIdx, kc, vc, mask, cap, scale, out);
}

// Decode attention (a decode step's tile of at most K tokens, or the last layer's one query per row), in plain fp32,
// bound by reading the KV cache. Blocks (tile, part, head, chunks) stream their chunks' 64-key tiles: attention_dk
// shares each tile among the tile's K query slots (each K/V element read once for every query: large batches),
// attention_d1 runs one warp per query (the last layer; and small batches, where the work per warp, not the bytes,
// sets the pace). Per 64-key tile a lane takes keys 2*lane, 2*lane + 1 (all dims) and dimension `lane` of the 64
// values, scores each of its warp's query slots against its two keys (padding slots have q = 0 and see no key), and
// accumulates dimension `lane` of every slot; the slots' chains interleave. Where a tile comes from differs by
// kernel (DECODE_* below), the arithmetic does not: every kernel runs decode_tile, so a query gets the same bits
// whichever kernel the batch size picks: d ascending per score, the 16-way xor tree of a tile's probability sum
// (lane pairs, then xor 16, 8, 4, 2), the online rescale per 64-key tile, keys ascending per output dimension.
#define DECODE_REGISTERS 0 // each lane loads its keys and values into registers, then uses them
#define DECODE_PREFETCH 1  // the same, loading tile t + 1 while tile t is used (more registers, fewer warps)
#define DECODE_BULK 2      // sm_90: the tile's two 8 KB runs (keys, values) copied to shared memory by the copy
                           // engine (cp.async.bulk), two tiles in flight per block at no register cost, shared by
                           // the block's warps; elsewhere DECODE_REGISTERS, each warp loading its own

// One 64-key tile for QMAX query slots: key(d) is this lane's float2 of keys (2*lane, 2*lane + 1) at dimension d,
// value(j) dimension `lane` of key j.
template <int QMAX, class KeyAt, class ValueAt>
__device__ __forceinline__ void decode_tile(KeyAt key, ValueAt value, const float (*qs)[HD], float (*ps)[64],
                                            const int (&qidx)[QMAX], int k0, int kEnd, uchar2 mk, float scale, int lane,
                                            float (&m)[QMAX], float (&l)[QMAX], float (&acc)[QMAX]) {
    const int ka = k0 + 2 * lane, kb = ka + 1;
    float s0[QMAX] = {}, s1[QMAX] = {};
#pragma unroll
    for (int d = 0; d < HD; d += 4) {
        const float2 k0v = key(d), k1v = key(d + 1), k2v = key(d + 2), k3v = key(d + 3);
#pragma unroll
        for (int i = 0; i < QMAX; i++) {
            float4 qv = *reinterpret_cast<const float4*>(&qs[i][d]);
            s0[i] = fmaf(qv.x, k0v.x, s0[i]);
            s1[i] = fmaf(qv.x, k0v.y, s1[i]);
            s0[i] = fmaf(qv.y, k1v.x, s0[i]);
            s1[i] = fmaf(qv.y, k1v.y, s1[i]);
            s0[i] = fmaf(qv.z, k2v.x, s0[i]);
            s1[i] = fmaf(qv.z, k2v.y, s1[i]);
            s0[i] = fmaf(qv.w, k3v.x, s0[i]);
            s1[i] = fmaf(qv.w, k3v.y, s1[i]);
        }
    }
    float mx[QMAX];
#pragma unroll
    for (int i = 0; i < QMAX; i++) {
        s0[i] = ka <= qidx[i] && ka < kEnd && mk.x != 0 ? s0[i] * scale : NEG_INF;
        s1[i] = kb <= qidx[i] && kb < kEnd && mk.y != 0 ? s1[i] * scale : NEG_INF;
        mx[i] = fmaxf(s0[i], s1[i]);
    }
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) {
#pragma unroll
        for (int i = 0; i < QMAX; i++) {
            mx[i] = fmaxf(mx[i], __shfl_xor_sync(0xffffffffu, mx[i], o));
        }
    }
    float ls[QMAX];
#pragma unroll
    for (int i = 0; i < QMAX; i++) {
        const float mNew = fmaxf(m[i], mx[i]), mSafe = softmax_base(mNew);
        const float alpha = softmax_alpha(m[i], mNew, mSafe);
        const float p0 = expf(s0[i] - mSafe), p1 = expf(s1[i] - mSafe); // 0 for a hidden key: see softmax_base
        m[i] = mNew;
        acc[i] = acc[i] * alpha;
        l[i] = l[i] * alpha; // + the tile's sum below: l * alpha + ls
        ls[i] = p0 + p1;
        *reinterpret_cast<float2*>(&ps[i][2 * lane]) = make_float2(p0, p1);
    }
#pragma unroll
    for (int i = 0; i < QMAX; i++) {
        ls[i] = ls[i] + __shfl_xor_sync(0xffffffffu, ls[i], 1);
    }
#pragma unroll
    for (int o = 16; o > 1; o >>= 1) {
#pragma unroll
        for (int i = 0; i < QMAX; i++) {
            ls[i] += __shfl_xor_sync(0xffffffffu, ls[i], o);
        }
    }
#pragma unroll
    for (int i = 0; i < QMAX; i++) {
        l[i] = l[i] + ls[i];
    }
    __syncwarp();
#pragma unroll
    for (int kk = 0; kk < 64; kk += 4) {
        const float v0 = value(kk), v1 = value(kk + 1), v2 = value(kk + 2), v3 = value(kk + 3);
#pragma unroll
        for (int i = 0; i < QMAX; i++) {
            float4 p4 = *reinterpret_cast<const float4*>(&ps[i][kk]);
            acc[i] = fmaf(p4.x, v0, acc[i]);
            acc[i] = fmaf(p4.y, v1, acc[i]);
            acc[i] = fmaf(p4.z, v2, acc[i]);
            acc[i] = fmaf(p4.w, v3, acc[i]);
        }
    }
    __syncwarp();
}

#if __CUDA_ARCH__ >= 900
__device__ __forceinline__ unsigned smem_address(const void* p) {
    return (unsigned)__cvta_generic_to_shared(p);
}

// a tile's keys and values into shared memory by the copy engine; `bar` completes when all 2 x 8 KB have landed
__device__ __forceinline__ void bulk_tile(float* kDst, const float* kSrc, float* vDst, const float* vSrc,
                                          unsigned long long* bar) {
    constexpr unsigned RUN = HD * 64 * sizeof(float);
    asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory"); // the lanes' reads of this stage come first
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;\n" ::"r"(smem_address(bar)), "r"(2 * RUN)
                 : "memory");
    asm volatile("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], %2, [%3];\n"
                 ::"r"(smem_address(kDst)), "l"(kSrc), "r"(RUN), "r"(smem_address(bar)) : "memory");
    asm volatile("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], %2, [%3];\n"
                 ::"r"(smem_address(vDst)), "l"(vSrc), "r"(RUN), "r"(smem_address(bar)) : "memory");
}

__device__ __forceinline__ void bulk_wait(unsigned long long* bar, unsigned parity) {
    unsigned done = 0;
    while (!done) {
        asm volatile("{\n.reg .pred p;\nmbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2;\nselp.u32 %0, 1, 0, p;\n}\n"
                     : "=r"(done) : "r"(smem_address(bar)), "r"(parity) : "memory");
    }
}
#endif

// Block (tile, part, head, chunks) of WARPS warps: warp w of part p takes the tile's query slots
// [(p * WARPS + w) * QMAX, + QMAX). The block streams the keys of `span` chunks from chunk blockIdx.z * span, up to
// its last query; keys past a warp's own queries are masked for it and change none of its bits (a tile with no
// visible key rescales by exactly 1 and adds 0). At each chunk's end it writes that chunk's partials and starts the
// next afresh, so any span writes the bits a block per chunk would: the span only trades blocks for longer streams.
template <int QMAX, int WARPS, int MODE>
__device__ __forceinline__ void attention_decode(const int4* __restrict__ tiles, const float* __restrict__ q,
                                                 const int* __restrict__ tokIdx, const float* __restrict__ kc,
                                                 const float* __restrict__ vc, const u8* __restrict__ mask, int cap,
                                                 int chunk, int maxChunks, float scale, float* __restrict__ part,
                                                 int spread, int span) {
    const int4 tile = tiles[blockIdx.x / spread];
    const int h = blockIdx.y, kh = h / (NH / NKV);
    const int lane = threadIdx.x & 31, w = WARPS == 1 ? 0 : threadIdx.x >> 5;
    const int first = (blockIdx.x % spread) * WARPS * QMAX;  // the block's first query slot
    const int slots = min(tile.z - first, WARPS * QMAX);      // query slots the block holds
    if (slots <= 0) {
        return;
    }
    const int kBegin = blockIdx.z * span * chunk;
    const int qLast = tokIdx[tile.y + first + slots - 1];
    if (kBegin > qLast) {
        return; // no query of the block sees these chunks; attention_combine never reads them
    }
    const int kEnd = min(kBegin + span * chunk, qLast + 1);
    const int row = tile.x, tok0 = tile.y + first + w * QMAX, n = min(slots - w * QMAX, QMAX);
    const int out0 = tile.w + first + w * QMAX;
    const bool live = n > 0; // warp-uniform
    __shared__ __align__(16) float qs[WARPS][QMAX][HD];
    __shared__ __align__(16) float ps[WARPS][QMAX][64];
    int qidx[QMAX];
    float m[QMAX], l[QMAX], acc[QMAX];
#pragma unroll
    for (int i = 0; i < QMAX; i++) {
        qs[w][i][lane] = i < n ? q[(size_t)(tok0 + i) * (NH * HD) + h * HD + lane] : 0.f;
        qidx[i] = i < n ? tokIdx[tok0 + i] : -1;
        m[i] = NEG_INF;
        l[i] = 0.f;
        acc[i] = 0.f;
    }
    // after the tile at k0: the partials of its chunk if it is the chunk's last, and a fresh start for the next
    auto chunkEnd = [&](int k0) {
        if (k0 + 64 < kEnd && (k0 + 64) % chunk != 0) {
            return;
        }
#pragma unroll
        for (int i = 0; i < QMAX; i++) {
            if (i < n) {
                float* pr = part + (((size_t)(out0 + i) * NH + h) * maxChunks + k0 / chunk) * (HD + 2);
                if (lane == 0) {
                    pr[0] = m[i];
                    pr[1] = l[i];
                }
                pr[2 + lane] = acc[i];
            }
            m[i] = NEG_INF;
            l[i] = 0.f;
            acc[i] = 0.f;
        }
    };
    const u8* mrow = mask + (size_t)row * cap;
    const float* kbase = kc + ((size_t)row * NKV + kh) * (size_t)cap * HD; // [cap / 64][HD][64]: tiles of keys
    const float* vbase = vc + ((size_t)row * NKV + kh) * (size_t)cap * HD; // [cap][HD]
#if __CUDA_ARCH__ >= 900
    if (MODE == DECODE_BULK) {
        __shared__ __align__(128) float kst[2][HD * 64], vst[2][64 * HD];
        __shared__ __align__(8) unsigned long long bar[2];
        const int count = (kEnd - kBegin + 63) / 64;
        auto issue = [&](int t) { // tile t into stage t % 2
            const int k0 = kBegin + 64 * t;
            bulk_tile(kst[t & 1], kbase + (size_t)(k0 / 64) * HD * 64, vst[t & 1], vbase + (size_t)k0 * HD,
                      &bar[t & 1]);
        };
        if (threadIdx.x == 0) {
            asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;\n" ::"r"(smem_address(&bar[0])) : "memory");
            asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;\n" ::"r"(smem_address(&bar[1])) : "memory");
            asm volatile("fence.mbarrier_init.release.cluster;\n" ::: "memory");
            for (int t = 0; t < 2 && t < count; t++) {
                issue(t);
            }
        }
        __syncthreads();
        for (int t = 0; t < count; t++) {
            const int k0 = kBegin + 64 * t, st = t & 1;
            const uchar2 mk = *reinterpret_cast<const uchar2*>(mrow + k0 + 2 * lane);
            bulk_wait(&bar[st], (t >> 1) & 1);
            if (live) {
                const float* kt = kst[st] + 2 * lane;
                const float* vt = vst[st] + lane;
                decode_tile<QMAX>([&](int d) { return *reinterpret_cast<const float2*>(kt + d * 64); },
                                  [&](int j) { return vt[j * HD]; }, qs[w], ps[w], qidx, k0, kEnd, mk, scale, lane, m,
                                  l, acc);
                chunkEnd(k0);
            }
            __syncthreads(); // every warp is done with stage st
            if (threadIdx.x == 0 && t + 2 < count) {
                issue(t + 2);
            }
        }
    } else
#endif
    if (live) {
        __syncwarp();
        float2 kr[HD];
        float vr[64];
        auto load = [&](int k0, float2(&kd)[HD], float(&vd)[64]) {
            const float* kt = kbase + (size_t)(k0 / 64) * HD * 64 + 2 * lane;
#pragma unroll
            for (int d = 0; d < HD; d++) {
                kd[d] = __ldg(reinterpret_cast<const float2*>(kt + d * 64));
            }
            const float* vt = vbase + (size_t)k0 * HD + lane;
#pragma unroll
            for (int j = 0; j < 64; j++) {
                vd[j] = __ldg(vt + j * HD);
            }
        };
        constexpr bool PREFETCH = MODE == DECODE_PREFETCH;
        if (PREFETCH) {
            load(kBegin, kr, vr);
        }
        for (int k0 = kBegin; k0 < kEnd; k0 += 64) {
            float2 kn[HD]; // the next tile (PREFETCH only; otherwise never touched, so never allocated)
            float vn[64];
            if (!PREFETCH) {
                load(k0, kr, vr);
            } else if (k0 + 64 < kEnd) {
                load(k0 + 64, kn, vn);
            }
            const uchar2 mk = *reinterpret_cast<const uchar2*>(mrow + k0 + 2 * lane);
            decode_tile<QMAX>([&](int d) { return kr[d]; }, [&](int j) { return vr[j]; }, qs[w], ps[w], qidx, k0,
                              kEnd, mk, scale, lane, m, l, acc);
            chunkEnd(k0);
            if (PREFETCH) {
#pragma unroll
                for (int d = 0; d < HD; d++) {
                    kr[d] = kn[d];
                }
#pragma unroll
                for (int j = 0; j < 64; j++) {
                    vr[j] = vn[j];
                }
            }
        }
    }
}

#define DECODE_ARGS                                                                                                  \
    const int4 *tiles, const float *q, const int *tokIdx, const float *kc, const float *vc, const u8 *mask, int cap,  \
        int chunk, int maxChunks, float scale, float *part, int spread, int span
#define DECODE_PASS tiles, q, tokIdx, kc, vc, mask, cap, chunk, maxChunks, scale, part, spread, span

// `spread` blocks per tile (attention_dk: 1; attention_d1: K for a decode tile, 1 in the last layer).
// attention_dk: two warps of K/2 query slots share each tile of the block's stream (sm_90: copied in bulk, two tiles
// in flight; elsewhere each warp loads its own); measured against one warp of K slots loading into registers and
// one warp of K slots copying in bulk, it streams the cache fastest (docs/performance.md).
extern "C" __global__ void __launch_bounds__(64) attention_dk(DECODE_ARGS) {
    attention_decode<(KH + 1) / 2, 2, DECODE_BULK>(DECODE_PASS);
}

extern "C" __global__ void __launch_bounds__(32) attention_d1(DECODE_ARGS) {
    attention_decode<1, 1, DECODE_REGISTERS>(DECODE_PASS);
}

// attention_d1 loading tile t + 1 while tile t is used (more registers, fewer warps: for small batches)
extern "C" __global__ void __launch_bounds__(32) attention_d1p(DECODE_ARGS) {
    attention_decode<1, 1, DECODE_PREFETCH>(DECODE_PASS);
}

// out[r][h*HD + d] = (sum_c acc_c[d] e^(m_c - M)) / (sum_c l_c e^(m_c - M)) over the chunks a query sees, in order;
// one warp per (output row, head), one lane per dimension. qIdx[r] is the query's cache index.
extern "C" __global__ void attention_combine(const float* __restrict__ part, const int* __restrict__ qIdx, int rows,
                                             int chunk, int maxChunks, float* __restrict__ out) {
    int wid = (blockIdx.x * blockDim.x + threadIdx.x) >> 5, lane = threadIdx.x & 31;
    if (wid >= rows * NH) {
        return;
    }
    int r = wid / NH, h = wid - r * NH;
    int chunks = qIdx[r] / chunk + 1;
    const float* p = part + ((size_t)r * NH + h) * maxChunks * (HD + 2);
    float mx = NEG_INF;
    for (int c = 0; c < chunks; c++) {
        mx = fmaxf(mx, p[c * (HD + 2)]);
    }
    const float base = softmax_base(mx);
    float sum = 0.f, o = 0.f;
    for (int c = 0; c < chunks; c++) {
        float wgt = expf(p[c * (HD + 2)] - base); // 0 for a chunk that saw no key: see softmax_base
        sum = sum + p[c * (HD + 2) + 1] * wgt;
        o = o + p[c * (HD + 2) + 2 + lane] * wgt;
    }
    out[(size_t)r * (NH * HD) + h * HD + lane] = o / sum;
}

// ---------------------------------------------------------------------------------------------------------------
// The processor on the device, bit-exact with AutoGazeProcessor and BicubicResize (spec sections 2.2, 3.1): Pillow's
// bilinear passes in 22-bit fixed point on packed RGB bytes (integer sums: any order gives the same bits), the
// per-channel byte-to-value table, then torch's bicubic squash with the reference's fused multiply-adds. Every
// coefficient table comes from the host's code. One thread per output value.
// ---------------------------------------------------------------------------------------------------------------

#define PILLOW_BITS 22

__device__ __forceinline__ u8 pillow_clip8(int acc) {
    int v = acc >> PILLOW_BITS;
    return (u8)(v < 0 ? 0 : min(v, 255));
}

// in [rows][inW][3] -> out [rows][outW][3]
extern "C" __global__ void pillow_h(const u8* __restrict__ in, int rows, int inW, int outW,
                                    const int* __restrict__ start, const int* __restrict__ count,
                                    const int* __restrict__ weights, int stride, u8* __restrict__ out) {
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long long)rows * outW) {
        return;
    }
    int r = (int)(i / outW), xx = (int)(i - (long long)r * outW);
    const u8* src = in + ((size_t)r * inW + start[xx]) * 3;
    const int* w = weights + (size_t)xx * stride;
    int n = count[xx];
    int a0 = 1 << (PILLOW_BITS - 1), a1 = a0, a2 = a0;
    for (int x = 0; x < n; x++) {
        int wt = w[x];
        a0 += src[x * 3] * wt;
        a1 += src[x * 3 + 1] * wt;
        a2 += src[x * 3 + 2] * wt;
    }
    u8* o = out + (size_t)i * 3;
    o[0] = pillow_clip8(a0);
    o[1] = pillow_clip8(a1);
    o[2] = pillow_clip8(a2);
}

// in [frames][inH][rowLen] -> out [frames][outH][rowLen] (rowLen = width * 3)
extern "C" __global__ void pillow_v(const u8* __restrict__ in, int frames, int inH, int outH, int rowLen,
                                    const int* __restrict__ start, const int* __restrict__ count,
                                    const int* __restrict__ weights, int stride, u8* __restrict__ out) {
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    long long perFrame = (long long)outH * rowLen;
    if (i >= frames * perFrame) {
        return;
    }
    int f = (int)(i / perFrame);
    long long rem = i - f * perFrame;
    int yy = (int)(rem / rowLen), c = (int)(rem - (long long)yy * rowLen);
    const u8* src = in + ((size_t)f * inH + start[yy]) * rowLen + c;
    const int* w = weights + (size_t)yy * stride;
    int n = count[yy];
    int acc = 1 << (PILLOW_BITS - 1);
    for (int y = 0; y < n; y++) {
        acc += src[(size_t)y * rowLen] * w[y];
    }
    out[i] = pillow_clip8(acc);
}

// in [frames][plane][3] bytes -> out [frames][3][plane] values, out = table[channel * 256 + byte]
extern "C" __global__ void rgb_planes(const u8* __restrict__ in, int frames, int plane,
                                      const float* __restrict__ table, float* __restrict__ out) {
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long long)frames * 3 * plane) {
        return;
    }
    int f = (int)(i / (3LL * plane));
    long long rem = i - f * 3LL * plane;
    int c = (int)(rem / plane), p = (int)(rem - (long long)c * plane);
    out[i] = table[c * 256 + in[((size_t)f * plane + p) * 3 + c]];
}

// BicubicResize.sum4: fma(v0, w0, v1 * w1), then + v2 * w2 and + v3 * w3 fused (the reference build's rounding)
__device__ __forceinline__ float bicubic_sum4(float v0, float w0, float v1, float w1, float v2, float w2, float v3,
                                              float w3) {
    float s = fmaf(v0, w0, v1 * w1);
    s = fmaf(v2, w2, s);
    return fmaf(v3, w3, s);
}

// width pass: in [rows][inW] -> out [rows][outW]
extern "C" __global__ void bicubic_w(const float* __restrict__ in, int rows, int inW, int outW,
                                     const int* __restrict__ taps, const float* __restrict__ w,
                                     float* __restrict__ out) {
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long long)rows * outW) {
        return;
    }
    int r = (int)(i / outW), x = (int)(i - (long long)r * outW), q = x * 4;
    const float* row = in + (size_t)r * inW;
    out[i] = bicubic_sum4(row[taps[q]], w[q], row[taps[q + 1]], w[q + 1], row[taps[q + 2]], w[q + 2],
                          row[taps[q + 3]], w[q + 3]);
}

// height pass: in [planes][inH][width] -> out [planes][outH][width]
extern "C" __global__ void bicubic_h(const float* __restrict__ in, int planes, int inH, int outH, int width,
                                     const int* __restrict__ taps, const float* __restrict__ w,
                                     float* __restrict__ out) {
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    long long perPlane = (long long)outH * width;
    if (i >= planes * perPlane) {
        return;
    }
    int p = (int)(i / perPlane);
    long long rem = i - p * perPlane;
    int y = (int)(rem / width), x = (int)(rem - (long long)y * width), q = y * 4;
    const float* src = in + (size_t)p * inH * width + x;
    out[i] = bicubic_sum4(src[(size_t)taps[q] * width], w[q], src[(size_t)taps[q + 1] * width], w[q + 1],
                          src[(size_t)taps[q + 2] * width], w[q + 2], src[(size_t)taps[q + 3] * width], w[q + 3]);
}

// ---------------------------------------------------------------------------------------------------------------
// SELECT of one generation step (spec section 5.4), one block per selected row. heads: the output-head rows of the
// last forward call, [rows][KH * VOCAB + KH] (logits, then task-loss values). params per row: {batch row, tokens
// already emitted in the frame, unfinished (0 = emit pads), first step of the frame, reset NoRepeat}. used[B][VOCAB]
// is NoRepeat's record of the frame's ids. Out: tokens and confidences [rows][KH], status [rows][4] = {count, picks,
// any head met the requirement, stopped early (budget reached or every id masked)}.
// ---------------------------------------------------------------------------------------------------------------

#define SELECT_THREADS 256

extern "C" __global__ void __launch_bounds__(SELECT_THREADS)
select_step(const float* __restrict__ heads, const int* __restrict__ params, int rows, int budget, float requirement,
            int gate, u8* __restrict__ used, int* __restrict__ outTok, float* __restrict__ outConf,
            int* __restrict__ outStatus) {
    __shared__ u8 excluded[VOCAB];
    __shared__ float redV[SELECT_THREADS / 32];
    __shared__ int redI[SELECT_THREADS / 32];
    __shared__ int pick[KH];
    __shared__ float conf[KH];
    __shared__ int stop;
    const int sr = blockIdx.x;
    if (sr >= rows) {
        return;
    }
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    const int* pr = params + sr * 5;
    const int row = pr[0], emitted = pr[1], unfinished = pr[2], first = pr[3], reset = pr[4];
    u8* u = used + (size_t)row * VOCAB;
    for (int v = tid; v < VOCAB; v += SELECT_THREADS) {
        if (reset) {
            u[v] = 0;
        }
        excluded[v] = (u8)(u[v] != 0 || v == EOS);
    }
    const float* lg = heads + (size_t)sr * HEAD_OUT;
    int j = 0;
    int early = 0;
    __syncthreads();
    for (int i = 0; i < KH; i++) {
        if (j + emitted >= budget) {
            early = 1;
            break;
        }
        // argmax with the first index among equal maxima (torch semantics)
        float best = NEG_INF;
        int bi = 0x7fffffff;
        for (int v = tid; v < VOCAB; v += SELECT_THREADS) {
            float s = excluded[v] ? NEG_INF : lg[i * VOCAB + v];
            if (s > best) {
                best = s;
                bi = v;
            }
        }
        for (int o = 16; o > 0; o >>= 1) {
            float ov = __shfl_xor_sync(0xffffffffu, best, o);
            int oi = __shfl_xor_sync(0xffffffffu, bi, o);
            if (ov > best || (ov == best && oi < bi)) {
                best = ov;
                bi = oi;
            }
        }
        if (lane == 0) {
            redV[warp] = best;
            redI[warp] = bi;
        }
        __syncthreads();
        if (tid == 0) {
            for (int w = 1; w < SELECT_THREADS / 32; w++) {
                if (redV[w] > best || (redV[w] == best && redI[w] < bi)) {
                    best = redV[w];
                    bi = redI[w];
                }
            }
            redV[0] = best;
            redI[0] = bi;
            stop = best == NEG_INF; // every id masked for this row (unreachable while the budget is <= VOCAB - 1)
        }
        __syncthreads();
        best = redV[0];
        bi = redI[0];
        if (stop) {
            early = 1;
            break;
        }
        // confidence: softmax probability of the pick under the distribution the head chose from
        float sum = 0.f;
        for (int v = tid; v < VOCAB; v += SELECT_THREADS) {
            if (!excluded[v]) {
                sum = sum + expf(lg[i * VOCAB + v] - best);
            }
        }
        sum = warp_sum(sum);
        __syncthreads();
        if (lane == 0) {
            redV[warp] = sum;
        }
        __syncthreads();
        if (tid == 0) {
            float total = 0.f;
            for (int w = 0; w < SELECT_THREADS / 32; w++) {
                total = total + redV[w];
            }
            pick[i] = bi;
            conf[i] = 1.0f / total;
            excluded[bi] = 1;
        }
        __syncthreads();
        j++;
    }
    if (tid == 0) {
        const float* tl = lg + KH * VOCAB;
        int meetAny = 0;
        for (int i = 0; i < j; i++) {
            int tok = unfinished ? pick[i] : EOS;
            float cf = conf[i];
            if (gate && !(first && i == 0) && tl[i] <= requirement) {
                meetAny = 1;
                tok = EOS;
            }
            if (tok == EOS) {
                cf = 0.f;
            }
            outTok[sr * KH + i] = tok;
            outConf[sr * KH + i] = cf;
        }
        int hit = j + emitted >= budget;
        int count = hit ? budget - emitted : j;
        for (int i = 0; i < count; i++) {
            u[outTok[sr * KH + i]] = 1;
        }
        int* st = outStatus + sr * 4;
        st[0] = count;
        st[1] = j;
        st[2] = meetAny;
        st[3] = early;
    }
}
