package dev.autogaze.model;

import dev.autogaze.readout.GeneratedGaze;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spec §5.3 "equivalent formulation without a KV cache", written out naively here: every token gets a fixed RoPE
 * position when first processed (cumsum positions for prefill tokens, the frame's stale positions for decode-fed
 * ones), the whole history is recomputed at every call, and SELECT is re-derived from §5.4. The cached generator
 * must produce the same ids on a tiny random model, batched and with a task-loss requirement.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KvCacheEquivalenceTest {

    @TempDir
    Path tmp;

    @Test
    void cachedGenerationEqualsRecomputingTheWholeHistoryAtEveryCall() throws IOException {
        AutoGazeWeights w = AutoGazeWeights.load(RandomModels.tiny(tmp.resolve("tiny"), 3));
        AutoGazeConfig c = w.config();
        Naive naive = new Naive(w);
        int stops = 0;
        for (Float req : new Float[] {null, 0.0f, 0.02f}) {
            for (float ratio : new float[] {0.5f, 1.0f}) {
                GazeOptions o = GazeOptions.defaults().withRatio(ratio).withTaskLossRequirement(req);
                float[] vis = RandomModels.visionEmbeds(c, 2, 4, 17);
                try (GazeDecoder decoder = new GazeDecoder(w, 2)) {
                    GeneratedGaze cached = new GazeGenerator(decoder, c.layout()).generate(vis, 2, 4, o).gaze();
                    GeneratedGaze slow = naive.generate(vis, 2, 4, o);
                    String what = "req " + req + " ratio " + ratio;
                    assertArrayEquals(slow.numGazingEachFrame(), cached.numGazingEachFrame(), what);
                    assertArrayEquals(slow.gazingPos(), cached.gazingPos(), what);
                    for (int b = 0; b < 2; b++) {
                        assertArrayEquals(slow.padded()[b], cached.padded()[b], what);
                        stops += cached.realCount(b) < cached.gazingPos()[b].length ? 1 : 0;
                    }
                }
            }
        }
        assertTrue(stops > 0, "some runs stopped early with pads");
    }

    /** A direct, allocation-happy transcription of Appendix A without a cache. */
    private static final class Naive {

        private final AutoGazeConfig.Decoder d;
        private final AutoGazeWeights w;
        private final float[] invFreq;
        private final int n;
        private final int k;
        private final int v;

        Naive(AutoGazeWeights w) {
            this.w = w;
            this.d = w.config().decoder();
            this.invFreq = Rope.invFreq(d);
            this.n = w.config().tokensPerFrame();
            this.k = d.multiTokenHeads();
            this.v = d.vocabSize();
        }

        private static final class Tok {
            final float[] emb;
            int pos;
            boolean mask;

            Tok(float[] emb, boolean mask) {
                this.emb = emb;
                this.mask = mask;
            }
        }

        GeneratedGaze generate(float[] vis, int batch, int frames, GazeOptions o) {
            int hidden = d.hiddenSize();
            int nv = vis.length / (batch * frames * hidden);
            List<List<Tok>> hist = new ArrayList<>();
            List<List<Integer>> out = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                hist.add(new ArrayList<>());
                out.add(new ArrayList<>());
            }
            int[] num = new int[frames];
            int[][] prevGen = new int[batch][0];
            int prevFed = 0;
            int[] prevStart = new int[batch];
            for (int t = 0; t < frames; t++) {
                int[][] stale = new int[batch][k];
                float[][] lg = new float[batch][];
                float[][] tl = new float[batch][];
                for (int b = 0; b < batch; b++) {
                    List<Tok> h = hist.get(b);
                    for (int i = 0; i < prevFed; i++) {
                        h.get(prevStart[b] + i).mask = prevGen[b][i] != n;
                    }
                    int first = h.size();
                    for (int i = prevFed; i < prevGen[b].length; i++) {
                        h.add(new Tok(embed(prevGen[b][i]), prevGen[b][i] != n));
                    }
                    for (int i = 0; i < nv; i++) {
                        h.add(new Tok(Arrays.copyOfRange(vis, ((b * frames + t) * nv + i) * hidden,
                                ((b * frames + t) * nv + i + 1) * hidden), true));
                    }
                    int[] p = new int[h.size()];
                    int c = 0;
                    for (int i = 0; i < h.size(); i++) {
                        c += h.get(i).mask ? 1 : 0;
                        p[i] = c - 1;
                    }
                    for (int i = first; i < h.size(); i++) {
                        h.get(i).pos = p[i];
                    }
                    for (int i = 0; i < k; i++) {
                        stale[b][i] = p[h.size() - k + i];
                    }
                    prevStart[b] = h.size();
                    float[][] r = forwardLast(h);
                    lg[b] = r[0];
                    tl[b] = r[1];
                }
                List<List<Integer>> gen = new ArrayList<>();
                for (int b = 0; b < batch; b++) {
                    gen.add(new ArrayList<>());
                }
                boolean[] unfinished = new boolean[batch];
                Arrays.fill(unfinished, true);
                boolean firstStep = true;
                int budget = o.budgetOfFrame(t, n);
                int fed = 0;
                while (true) {
                    int done = gen.get(0).size();
                    float[][][] s = new float[batch][k][];
                    for (int b = 0; b < batch; b++) {
                        for (int i = 0; i < k; i++) {
                            s[b][i] = Arrays.copyOfRange(lg[b], i * v, (i + 1) * v);
                            for (int id : gen.get(b)) {
                                s[b][i][id] = Float.NEGATIVE_INFINITY;
                            }
                            s[b][i][n] = Float.NEGATIVE_INFINITY;
                        }
                    }
                    List<int[]> picks = new ArrayList<>();
                    boolean early = false;
                    for (int i = 0; i < k; i++) {
                        if (picks.size() + done >= budget) {
                            early = true;
                            break;
                        }
                        boolean all = true;
                        for (int b = 0; b < batch; b++) {
                            for (float x : s[b][i]) {
                                all &= x == Float.NEGATIVE_INFINITY;
                            }
                        }
                        if (all) {
                            early = true;
                            break;
                        }
                        int[] tok = new int[batch];
                        for (int b = 0; b < batch; b++) {
                            int best = 0;
                            for (int x = 1; x < v; x++) {
                                if (s[b][i][x] > s[b][i][best]) {
                                    best = x;
                                }
                            }
                            tok[b] = best;
                            for (int later = i + 1; later < k; later++) {
                                s[b][later][best] = Float.NEGATIVE_INFINITY;
                            }
                        }
                        picks.add(tok);
                    }
                    int j = picks.size();
                    boolean hit = j + done >= budget;
                    int keep = hit ? budget - done : j;
                    boolean any = false;
                    for (int b = 0; b < batch; b++) {
                        boolean meet = false;
                        for (int i = 0; i < j; i++) {
                            int tok = unfinished[b] ? picks.get(i)[b] : n;
                            if (o.taskLossRequirement() != null && !(firstStep && i == 0)
                                    && tl[b][i] <= o.taskLossRequirement()) {
                                meet = true;
                                tok = n;
                            }
                            if (i < keep) {
                                gen.get(b).add(tok);
                            }
                        }
                        unfinished[b] &= !meet && !hit && !early;
                        any |= unfinished[b];
                    }
                    firstStep = false;
                    if (!any) {
                        break;
                    }
                    for (int b = 0; b < batch; b++) {
                        List<Integer> g = gen.get(b);
                        for (int i = 0; i < k; i++) {
                            Tok tk = new Tok(embed(g.get(g.size() - k + i)), true);
                            tk.pos = stale[b][i];
                            hist.get(b).add(tk);
                        }
                        float[][] r = forwardLast(hist.get(b));
                        lg[b] = r[0];
                        tl[b] = r[1];
                    }
                    fed += k;
                }
                num[t] = gen.get(0).size();
                for (int b = 0; b < batch; b++) {
                    prevGen[b] = gen.get(b).stream().mapToInt(Integer::intValue).toArray();
                    for (int id : prevGen[b]) {
                        out.get(b).add(id + n * t);
                    }
                }
                prevFed = fed;
            }
            long[][] pos = new long[batch][];
            boolean[][] pad = new boolean[batch][];
            for (int b = 0; b < batch; b++) {
                pos[b] = out.get(b).stream().mapToLong(Integer::longValue).toArray();
                pad[b] = new boolean[pos[b].length];
                int at = 0;
                for (int t = 0; t < frames; t++) {
                    for (int i = 0; i < num[t]; i++, at++) {
                        pad[b][at] = pos[b][at] == (long) n * t + n;
                    }
                }
            }
            return new GeneratedGaze(pos, pad, num, null, n);
        }

        private float[] embed(int id) {
            int h = d.hiddenSize();
            return Arrays.copyOfRange(w.tensor(AutoGazeWeights.DECODER + "model.embed_tokens.weight"), id * h, (id + 1) * h);
        }

        /** The whole history through every layer; returns the last row's {logits, task loss}. */
        private float[][] forwardLast(List<Tok> hist) {
            int len = hist.size();
            int h = d.hiddenSize();
            int hd = d.headDim();
            int heads = d.heads();
            int group = heads / d.kvHeads();
            float[][] x = new float[len][];
            for (int i = 0; i < len; i++) {
                x[i] = hist.get(i).emb.clone();
            }
            String m = AutoGazeWeights.DECODER + "model.";
            for (int l = 0; l < d.layers(); l++) {
                String p = m + "layers." + l + ".";
                float[][] q = new float[len][];
                float[][] kk = new float[len][];
                float[][] vv = new float[len][];
                for (int i = 0; i < len; i++) {
                    float[] a = norm(x[i], w.tensor(p + "input_layernorm.weight"));
                    q[i] = rope(lin(a, w.tensor(p + "self_attn.q_proj.weight")), hist.get(i).pos);
                    kk[i] = rope(lin(a, w.tensor(p + "self_attn.k_proj.weight")), hist.get(i).pos);
                    vv[i] = lin(a, w.tensor(p + "self_attn.v_proj.weight"));
                }
                for (int i = 0; i < len; i++) {
                    float[] att = new float[heads * hd];
                    for (int hh = 0; hh < heads; hh++) {
                        int kh = hh / group;
                        double[] e = new double[i + 1];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j <= i; j++) {
                            if (!hist.get(j).mask) {
                                e[j] = Double.NEGATIVE_INFINITY;
                                continue;
                            }
                            double dot = 0;
                            for (int c = 0; c < hd; c++) {
                                dot += q[i][hh * hd + c] * kk[j][kh * hd + c];
                            }
                            e[j] = dot / Math.sqrt(hd);
                            max = Math.max(max, e[j]);
                        }
                        double sum = 0;
                        for (int j = 0; j <= i; j++) {
                            e[j] = Math.exp(e[j] - max);
                            sum += e[j];
                        }
                        for (int c = 0; c < hd; c++) {
                            double acc = 0;
                            for (int j = 0; j <= i; j++) {
                                acc += e[j] * vv[j][kh * hd + c];
                            }
                            att[hh * hd + c] = (float) (acc / sum);
                        }
                    }
                    float[] o = lin(att, w.tensor(p + "self_attn.o_proj.weight"));
                    for (int c = 0; c < h; c++) {
                        x[i][c] += o[c];
                    }
                    float[] mm = norm(x[i], w.tensor(p + "post_attention_layernorm.weight"));
                    float[] g = lin(mm, w.tensor(p + "mlp.gate_proj.weight"));
                    float[] u = lin(mm, w.tensor(p + "mlp.up_proj.weight"));
                    for (int c = 0; c < g.length; c++) {
                        g[c] = (float) (g[c] / (1 + Math.exp(-g[c])) * u[c]);
                    }
                    float[] dn = lin(g, w.tensor(p + "mlp.down_proj.weight"));
                    for (int c = 0; c < h; c++) {
                        x[i][c] += dn[c];
                    }
                }
            }
            float[] last = norm(x[len - 1], w.tensor(m + "norm.weight"));
            return new float[][] {lin(last, w.tensor(AutoGazeWeights.DECODER + "lm_head.weight")),
                    lin(last, w.tensor(AutoGazeWeights.DECODER + "task_loss_prediction_head.weight"))};
        }

        private float[] rope(float[] x, int pos) {
            int hd = d.headDim();
            int half = hd / 2;
            float[] y = new float[x.length];
            for (int h0 = 0; h0 < x.length; h0 += hd) {
                for (int i = 0; i < half; i++) {
                    double f = (float) pos * invFreq[i];
                    double c = Math.cos(f);
                    double s = Math.sin(f);
                    y[h0 + i] = (float) (x[h0 + i] * c - x[h0 + half + i] * s);
                    y[h0 + half + i] = (float) (x[h0 + half + i] * c + x[h0 + i] * s);
                }
            }
            return y;
        }

        private float[] norm(float[] x, float[] weight) {
            double ss = 0;
            for (float e : x) {
                ss += e * e;
            }
            double inv = 1 / Math.sqrt(ss / x.length + d.rmsNormEps());
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = (float) (weight[i] * x[i] * inv);
            }
            return y;
        }

        private static float[] lin(float[] x, float[] weight) {
            int out = weight.length / x.length;
            float[] y = new float[out];
            for (int o = 0; o < out; o++) {
                double acc = 0;
                for (int i = 0; i < x.length; i++) {
                    acc += x[i] * weight[o * x.length + i];
                }
                y[o] = (float) acc;
            }
            return y;
        }
    }
}
