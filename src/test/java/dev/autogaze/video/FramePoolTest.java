package dev.autogaze.video;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The JVM-wide pool of frame arrays: handed out by exact length, newest first, never past its byte bound. */
class FramePoolTest {

    @Test
    void arraysComeBackByExactLengthAndThePoolKeepsItsBound() {
        FramePool pool = new FramePool(250);
        assertNull(pool.take(100), "empty");
        byte[] a = new byte[100];
        byte[] b = new byte[100];
        byte[] c = new byte[60];
        pool.give(a);
        pool.give(b);
        pool.give(c);
        assertEquals(200, pool.bytes(), "the third array would pass 250 bytes: dropped");
        assertNull(pool.take(60), "the dropped array is not handed out");
        assertSame(b, pool.take(100), "the last one given comes first");
        assertSame(a, pool.take(100));
        assertNull(pool.take(100));
        assertEquals(0, pool.bytes());
        pool.give(c);
        assertSame(c, pool.take(60), "room again once arrays were taken");
    }
}
