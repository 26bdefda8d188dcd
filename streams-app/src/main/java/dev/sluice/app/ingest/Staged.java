package dev.sluice.app.ingest;

import java.util.function.Supplier;

import dev.sluice.app.dlq.Failure;

/**
 * A record on its way through the stages of one sub-topology, in memory only: the raw key and value bytes as read
 * from the topic (what a dead-letter record must keep) and either the current value or the failure that stopped it.
 */
public final class Staged<T> {

    private final byte[] rawKey;
    private final byte[] rawValue;
    /** Produces the raw value bytes of a record that was never read as bytes; only a dead letter needs them. */
    private final Supplier<byte[]> encodeRawValue;
    private final T value;
    private final Failure failure;

    private Staged(byte[] rawKey, byte[] rawValue, Supplier<byte[]> encodeRawValue, T value, Failure failure) {
        this.rawKey = rawKey;
        this.rawValue = rawValue;
        this.encodeRawValue = encodeRawValue;
        this.value = value;
        this.failure = failure;
    }

    public static <T> Staged<T> ok(byte[] rawKey, byte[] rawValue, T value) {
        return new Staged<>(rawKey, rawValue, null, value, null);
    }

    /**
     * A record handed over in memory (gold takes the enriched records as they go to silver): its value bytes are
     * encoded only if it becomes a dead letter.
     */
    public static <T> Staged<T> inMemory(byte[] rawKey, T value, Supplier<byte[]> encodeRawValue) {
        return new Staged<>(rawKey, null, encodeRawValue, value, null);
    }

    public static <T> Staged<T> failed(byte[] rawKey, byte[] rawValue, Failure failure) {
        return new Staged<>(rawKey, rawValue, null, null, failure);
    }

    public byte[] rawKey() {
        return rawKey;
    }

    public byte[] rawValue() {
        return rawValue == null && encodeRawValue != null ? encodeRawValue.get() : rawValue;
    }

    /** The value; null for a failed record (and for a tombstone that is allowed to pass). */
    public T value() {
        return value;
    }

    public Failure failure() {
        return failure;
    }

    public boolean failed() {
        return failure != null;
    }

    /** The same raw record, now stopped by {@code why}. */
    public Staged<T> fail(Failure why) {
        return new Staged<>(rawKey, rawValue, encodeRawValue, null, why);
    }
}
