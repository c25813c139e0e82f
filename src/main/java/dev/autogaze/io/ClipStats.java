package dev.autogaze.io;

/**
 * The per-clip statistics columns of the clips table (docs/output-schema.md, "Statistics").
 *
 * @param tokensPerBin kept tokens per temporal bin (sums to tokenCount)
 */
public record ClipStats(int realGazes, int padGazes, int tokenCount, int[] tokensPerBin, double keepRatio) {

    public ClipStats {
        long sum = 0;
        for (int n : tokensPerBin) {
            sum += n;
        }
        if (sum != tokenCount) {
            throw new IllegalArgumentException("tokens_per_bin sums to " + sum + " but token_count is " + tokenCount);
        }
    }
}
