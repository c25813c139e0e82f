package dev.autogaze.model;

/**
 * A {@link GazeSteps} that takes ragged calls by giving every batch row its own host engine (B = 1 each): a CPU
 * stand-in for the CUDA engine's independent rows, so the loop's per-row bookkeeping is tested without a GPU.
 */
final class RowwiseSteps implements GazeSteps {

    private final DecoderEngine decoder;
    private HostSteps[] rows = new HostSteps[0];
    private int[] fed = new int[0];
    private int fedRows;
    private final FeedPlan one = new FeedPlan();
    private final SelectPlan oneSelect = new SelectPlan();
    private final StepPicks onePicks;

    RowwiseSteps(DecoderEngine decoder) {
        this.decoder = decoder;
        this.onePicks = new StepPicks(decoder.outHeads());
    }

    @Override
    public AutoGazeConfig.Decoder config() {
        return decoder.config();
    }

    @Override
    public boolean raggedRows() {
        return true;
    }

    @Override
    public void begin(int batch, int frames, int visionTokens, int capacity, float[] visionEmbeds) {
        for (HostSteps h : rows) {
            h.close();
        }
        rows = new HostSteps[batch];
        fed = new int[batch];
        int per = frames * visionTokens * decoder.hidden();
        for (int b = 0; b < batch; b++) {
            rows[b] = new HostSteps(decoder);
            rows[b].begin(1, frames, visionTokens, capacity,
                    java.util.Arrays.copyOfRange(visionEmbeds, b * per, (b + 1) * per));
        }
    }

    @Override
    public void setMask(int b, int index, boolean attendable) {
        rows[b].setMask(0, index, attendable);
    }

    @Override
    public void feed(FeedPlan plan) {
        fedRows = plan.rows();
        for (int r = 0; r < plan.rows(); r++) {
            int b = plan.row(r);
            fed[r] = b;
            one.reset(1, plan.count(r), plan.frame(), plan.prefill());
            one.addRow(0, plan.start(r));
            for (int i = 0; i < plan.count(r); i++) {
                int t = plan.firstToken(r) + i;
                one.addToken(plan.source(t), plan.position(t), plan.attend(t));
            }
            rows[b].feed(one);
        }
    }

    @Override
    public void select(SelectPlan plan, StepPicks out) {
        if (plan.rows() != fedRows) {
            throw new IllegalStateException("select over " + plan.rows() + " rows after feeding " + fedRows);
        }
        out.reset(plan.rows());
        for (int r = 0; r < plan.rows(); r++) {
            oneSelect.reset(1, plan.budget(), plan.requirement(), plan.firstStep());
            oneSelect.add(plan.emitted(r), plan.unfinished(r));
            rows[fed[r]].select(oneSelect, onePicks);
            out.set(r, onePicks.count(0), onePicks.picks(0), onePicks.meetAny(0), onePicks.early(0));
            for (int i = 0; i < onePicks.picks(0); i++) {
                out.setToken(r, i, onePicks.token(0, i), onePicks.confidence(0, i));
            }
        }
    }

    @Override
    public void close() {
        for (HostSteps h : rows) {
            h.close();
        }
    }
}
