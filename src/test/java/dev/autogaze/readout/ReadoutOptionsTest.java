package dev.autogaze.readout;

import static dev.autogaze.readout.ScaleLayoutTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReadoutOptionsTest {

    @Test
    void withersChangeOneFieldAndKeepTheRest() {
        ReadoutOptions o = ReadoutOptions.defaults().withDilation(2).withMaxTokensPerFrame(50)
                .withRule(CellToTokenRule.minFraction(0.5)).withPriority(Priority.CONFIDENCE)
                .withConfidenceThreshold(0.2).withMaxFixationsPerFrame(9).withFixationScale(1.5);
        assertEquals(new ReadoutOptions(0.2, 9, 1.5, 2, 50, CellToTokenRule.minFraction(0.5), Priority.CONFIDENCE), o);
        assertEquals(new ReadoutOptions(0, 0, 1, 0, 0, CellToTokenRule.ANY_OVERLAP, Priority.GAZE_ORDER),
                ReadoutOptions.defaults());
    }

    @Test
    void outOfRangeOptionsAreRejectedNamingTheValue() {
        ReadoutOptions d = ReadoutOptions.defaults();
        assertMessage("confidence threshold -0.1", () -> d.withConfidenceThreshold(-0.1));
        assertMessage("max fixations per frame -1 is negative", () -> d.withMaxFixationsPerFrame(-1));
        assertMessage("fixation scale 0.0 must be positive", () -> d.withFixationScale(0));
        assertMessage("dilation -2 is negative", () -> d.withDilation(-2));
        assertMessage("max tokens per frame -5 is negative", () -> d.withMaxTokensPerFrame(-5));
        assertMessage("minimum covered fraction 1.5 must be in (0, 1]", () -> CellToTokenRule.minFraction(1.5));
        assertMessage("minimum covered fraction 0.0", () -> CellToTokenRule.minFraction(0));
        assertMessage("rule CENTER takes no fraction",
                () -> new CellToTokenRule(CellToTokenRule.Kind.CENTER, 0.3));
    }

    @Test
    void videoBudgetsAreValidatedAlsoAgainstTheGeometry() {
        assertMessage("must be >= 0", () -> VideoTokenOptions.defaults().withGlobalBudget(-1));
        assertMessage("minimum 10 tokens per bin exceeds the per-bin budget 5",
                () -> new VideoTokenOptions(5, 0, 10));
        VideoGeometry g = new VideoGeometry(16, 224, 224, 2, 16);
        assertMessage("minimum 200 tokens per bin exceeds the 196 tokens of a 14x14 bin",
                () -> VideoTokenOptions.defaults().withMinTokensPerBin(200).checkAgainst(g));
        assertMessage("minimum 10 tokens x 8 bins = 80 exceeds the global budget 79",
                () -> new VideoTokenOptions(0, 79, 10).checkAgainst(g));
    }

    @Test
    void nonDivisibleGeometryIsRejectedNamingTheNumbers() {
        assertMessage("frame height 250 is not divisible by patch size 16", () -> new VideoGeometry(16, 250, 224, 2, 16));
        assertMessage("frame width 300 is not divisible by patch size 16", () -> new VideoGeometry(16, 224, 300, 2, 16));
        assertMessage("frame count 15 is not divisible by tubelet size 2", () -> new VideoGeometry(15, 224, 224, 2, 16));
        assertMessage("tubelet=0", () -> new VideoGeometry(16, 224, 224, 0, 16));
        assertMessage("frame height 100 is not divisible by patch size 14", () -> new ImageGrid(100, 224, 14));
        assertMessage("image grid -224x224", () -> new ImageGrid(-224, 224, 16));
    }
}
