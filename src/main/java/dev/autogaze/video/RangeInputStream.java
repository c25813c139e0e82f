package dev.autogaze.video;

import org.apache.hadoop.fs.FSDataInputStream;

import java.io.IOException;
import java.io.InputStream;

/**
 * A byte range of a Hadoop file (a tar shard's member) as a stream FFmpeg can seek in: JavaCV's custom AVIO seeks
 * by {@code reset()} to the mark and {@code skip(n)}, which here only move a position; reads are positioned reads of
 * the file, so the member is never copied out of the shard.
 */
final class RangeInputStream extends InputStream {

    private final FSDataInputStream in;
    private final long offset;
    private final long length;
    private long pos;
    private long mark;

    RangeInputStream(FSDataInputStream in, long offset, long length) {
        this.in = in;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos >= length) {
            return -1;
        }
        int n = in.read(offset + pos, b, off, (int) Math.min(len, length - pos));
        if (n < 0) {
            throw new java.io.EOFException("the file ends " + (length - pos) + " bytes before the end of its member");
        }
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long k = Math.max(0, Math.min(n, length - pos));
        pos += k;
        return k;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, length - pos);
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public synchronized void mark(int readLimit) {
        mark = pos;
    }

    @Override
    public synchronized void reset() {
        pos = mark;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
