package dev.sluice.app.ingest;

import dev.sluice.app.dlq.Failure;

/**
 * A record on its way through the stages of one sub-topology, in memory only: the raw key and value bytes as read
 * from the topic (what a dead-letter record must keep) and either the current value or the failure that stopped it.
 */
public final class Staged<T> {

    private final byte[] rawKey;
    private final byte[] rawValue;
    private final T value;
    private final Failure failure;

    private Staged(byte[] rawKey, byte[] rawValue, T value, Failure failure) {
        this.rawKey = rawKey;
        this.rawValue = rawValue;
        this.value = value;
        this.failure = failure;
    }

    public static <T> Staged<T> ok(byte[] rawKey, byte[] rawValue, T value) {
        return new Staged<>(rawKey, rawValue, value, null);
    }

    public static <T> Staged<T> failed(byte[] rawKey, byte[] rawValue, Failure failure) {
        return new Staged<>(rawKey, rawValue, null, failure);
    }

    public byte[] rawKey() {
        return rawKey;
    }

    public byte[] rawValue() {
        return rawValue;
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
        return new Staged<>(rawKey, rawValue, null, why);
    }
}
