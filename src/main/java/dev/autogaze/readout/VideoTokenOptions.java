package dev.autogaze.readout;

/**
 * Budgets over a clip's temporal bins. Zero means "none". Applied per bin as: union of the bin's frames, minimum
 * fill, per-bin budget, then the global budget shared round-robin so that late bins are never starved.
 *
 * @param perBinBudget    keep at most this many tokens per bin (highest priority first)
 * @param globalBudget    keep at most this many tokens per clip, shared round-robin over bins
 * @param minTokensPerBin fill bins with fewer tokens up to this count, centre-out (see docs/geometry.md)
 */
public record VideoTokenOptions(int perBinBudget, int globalBudget, int minTokensPerBin) {

    public VideoTokenOptions {
        if (perBinBudget < 0 || globalBudget < 0 || minTokensPerBin < 0) {
            throw new IllegalArgumentException("video token budgets perBin=" + perBinBudget + " global=" + globalBudget
                    + " minPerBin=" + minTokensPerBin + " must be >= 0 (0 means none)");
        }
        if (perBinBudget > 0 && minTokensPerBin > perBinBudget) {
            throw new IllegalArgumentException("minimum " + minTokensPerBin + " tokens per bin exceeds the per-bin budget "
                    + perBinBudget);
        }
    }

    public static VideoTokenOptions defaults() {
        return new VideoTokenOptions(0, 0, 0);
    }

    public VideoTokenOptions withPerBinBudget(int v) {
        return new VideoTokenOptions(v, globalBudget, minTokensPerBin);
    }

    public VideoTokenOptions withGlobalBudget(int v) {
        return new VideoTokenOptions(perBinBudget, v, minTokensPerBin);
    }

    public VideoTokenOptions withMinTokensPerBin(int v) {
        return new VideoTokenOptions(perBinBudget, globalBudget, v);
    }

    /** Checks the budgets against a geometry: each must be reachable, and the minimum must fit in the global one. */
    public void checkAgainst(VideoGeometry g) {
        if (minTokensPerBin > g.tokensPerBin()) {
            throw new IllegalArgumentException("minimum " + minTokensPerBin + " tokens per bin exceeds the "
                    + g.tokensPerBin() + " tokens of a " + g.rows() + "x" + g.cols() + " bin");
        }
        if (globalBudget > 0 && (long) minTokensPerBin * g.bins() > globalBudget) {
            throw new IllegalArgumentException("minimum " + minTokensPerBin + " tokens x " + g.bins() + " bins = "
                    + (long) minTokensPerBin * g.bins() + " exceeds the global budget " + globalBudget);
        }
    }
}
