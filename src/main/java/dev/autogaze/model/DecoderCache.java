package dev.autogaze.model;

/**
 * What the generation loop sees of a decoder's key/value cache: its shape, how many tokens it holds, and the per-row
 * key mask it sets before feeding tokens. The key and value storage belongs to the engine that made the cache.
 */
public interface DecoderCache extends AutoCloseable {

    int batch();

    /** Token slots per row (at least the requested capacity). */
    int capacity();

    /** Tokens cached so far (the next cache index). */
    int length();

    /** Forgets every token; the storage is reused. */
    void reset();

    /** Sets the key-mask value of cache index `index` of batch row b (true = attendable, false = masked pad). */
    void setMask(int b, int index, boolean attendable);

    boolean mask(int b, int index);

    /** Bytes held by the cache. */
    long bytes();

    /**
     * Frees native or device memory now instead of at garbage collection (the ND4J cache's arrays can live on a
     * GPU, where the JVM's collector does not see their size); the cache is unusable afterwards.
     */
    @Override
    default void close() {
    }
}
