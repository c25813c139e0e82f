package dev.autogaze.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-worked SELECT steps (K = 3 heads over ids 0..3, EOS = 4). */
class GazeSelectorTest {

    private static final float NO_REQ = Float.NaN;
    private static final float[] LOGITS = {
            // head 0: 2 is best
            0f, 1f, 5f, 3f, 9f,
            // head 1: 2 best, then a tie between 1 and 3 -> the first (1)
            0f, 4f, 6f, 4f, 9f,
            // head 2: 2 best, 1 next
            3f, 5f, 7f, 0f, 9f};

    @Test
    void laterHeadsSkipEarlierPicksAndTiesGoToTheFirstIndexAndEosIsNeverChosen() {
        GazeSelector s = new GazeSelector(1, 3, 5, 4);
        s.startFrame();
        s.select(LOGITS, new float[3], 0, 100, NO_REQ, true, new boolean[] {true});
        assertEquals(3, s.count);
        assertArrayEquals(new int[] {2, 1, 0}, s.tokens);
        assertFalse(s.hitBudget || s.earlyStop || s.meetAny[0]);
        // confidence of head 0 = softmax([0,1,5,3,-inf])[2]
        double z = Math.exp(0) + Math.exp(1) + Math.exp(5) + Math.exp(3);
        assertEquals(Math.exp(5) / z, s.confidence[0], 1e-6);
    }

    @Test
    void idsEmittedEarlierInTheFrameAreNotRepeatedAndTheVocabularyRunsOut() {
        GazeSelector s = new GazeSelector(1, 3, 5, 4);
        s.startFrame();
        s.select(LOGITS, new float[3], 0, 100, NO_REQ, true, new boolean[] {true});
        s.select(LOGITS, new float[3], 3, 100, NO_REQ, false, new boolean[] {true});
        // only id 3 is left: head 0 takes it, head 1 finds everything masked -> early stop
        assertEquals(1, s.count);
        assertEquals(3, s.tokens[0]);
        assertTrue(s.earlyStop);
    }

    @Test
    void budgetTruncatesTheStep() {
        GazeSelector s = new GazeSelector(1, 3, 5, 4);
        s.startFrame();
        s.select(LOGITS, new float[3], 0, 2, NO_REQ, true, new boolean[] {true});
        assertEquals(2, s.count);
        assertTrue(s.hitBudget);
        assertArrayEquals(new int[] {2, 1}, new int[] {s.tokens[0], s.tokens[1]});
    }

    @Test
    void taskLossGatesItsOwnHeadsTokenExceptHeadZeroOfTheFirstStep() {
        GazeSelector s = new GazeSelector(1, 3, 5, 4);
        float req = 0.7f;
        float[] tl = {0.1f, 0.9f, 0.7f}; // head 0 meets but is exempt; head 2 meets exactly at f32(0.7)
        s.startFrame();
        s.select(LOGITS, tl, 0, 100, req, true, new boolean[] {true});
        assertArrayEquals(new int[] {2, 1, 4}, s.tokens);
        assertTrue(s.meetAny[0]);
        assertEquals(0f, s.confidence[2]);
        s.startFrame();
        s.select(LOGITS, tl, 0, 100, req, false, new boolean[] {true});
        assertArrayEquals(new int[] {4, 1, 4}, s.tokens, "not the first step: head 0 is gated too");
    }

    @Test
    void finishedRowsEmitPadsWhileOthersContinue() {
        GazeSelector s = new GazeSelector(2, 3, 5, 4);
        float[] two = new float[30];
        System.arraycopy(LOGITS, 0, two, 0, 15);
        System.arraycopy(LOGITS, 0, two, 15, 15);
        s.startFrame();
        s.select(two, new float[6], 0, 100, NO_REQ, false, new boolean[] {false, true});
        assertArrayEquals(new int[] {4, 4, 4, 2, 1, 0}, s.tokens);
    }
}
