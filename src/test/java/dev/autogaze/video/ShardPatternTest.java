package dev.autogaze.video;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardPatternTest {

    @Test
    void rangeKeepsTheZeroPaddingOfItsFirstBound() {
        assertEquals(List.of("s/00008.tar", "s/00009.tar", "s/00010.tar", "s/00011.tar"),
                ShardPattern.expand("s/{00008..00011}.tar"));
        assertEquals(List.of("a9.tar", "a10.tar"), ShardPattern.expand("a{9..10}.tar"));
    }

    @Test
    void listsRangesAndNestingCombineInWrittenOrder() {
        assertEquals(List.of("train-0.tar", "train-1.tar", "val-0.tar", "val-1.tar"),
                ShardPattern.expand("{train,val}-{0..1}.tar"));
        assertEquals(List.of("a.tar", "b1.tar", "b2.tar"), ShardPattern.expand("{a,b{1..2}}.tar"));
    }

    @Test
    void textWithoutBracesIsItself() {
        assertFalse(ShardPattern.hasBraces("s/*.tar"));
        assertEquals(List.of("s/*.tar"), ShardPattern.expand("s/*.tar"));
        assertTrue(ShardPattern.hasBraces("s/{0..1}.tar"));
        assertTrue(ShardPattern.hasBraces("s/{0..1.tar"));
    }

    @Test
    void badPatternsNameThemselves() {
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class,
                () -> ShardPattern.expand("s/{0..3.tar"));
        assertEquals("shard pattern s/{0..3.tar has a '{' that is never closed", open.getMessage());
        IllegalArgumentException back = assertThrows(IllegalArgumentException.class,
                () -> ShardPattern.expand("s/{9..3}.tar"));
        assertEquals("shard pattern s/{9..3}.tar: range {9..3} runs backwards", back.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShardPattern.expand("s/{0..99999999}.tar"));
        assertThrows(IllegalArgumentException.class, () -> ShardPattern.expand("s/{abc}.tar"));
        assertThrows(IllegalArgumentException.class, () -> ShardPattern.expand("s/a}.tar"));
    }
}
