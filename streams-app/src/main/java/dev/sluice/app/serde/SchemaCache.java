package dev.sluice.app.serde;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema ids and their schemas, shared by every serde of the application and every stream thread; the ids come from
 * a {@link SchemaSource} (the registry, in the service), called "the registry" below.
 * <ul>
 * <li>id → writer schema is cached forever: content ids are immutable.</li>
 * <li>An id the registry does not know (404) is remembered for {@code unknownIdTtl}, so that a flood of records
 * with a bogus id costs a map lookup each, not an HTTP call; after the TTL the registry is asked again (a schema
 * registered late, or a registry replica that lagged).</li>
 * <li>(subject, schema) → id of the app's own writer schemas, registered once and then cached forever; the id also
 * maps back to the schema, so reading the app's own output never calls the registry.</li>
 * <li>When the registry cannot answer, a lookup retries with backoff for at most {@code outageRetry} and then
 * throws {@link RegistryUnavailableException}: the record is not dead-lettered, the stream thread stops and is
 * replaced ({@link dev.sluice.app.dlq.OutageExceptionHandler}), and the next thread retries. The retry budget is
 * that backoff; it must stay well below the transaction timeout of exactly-once (10 s by default), which is why
 * it is bounded rather than endless.</li>
 * </ul>
 */
public final class SchemaCache {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaCache.class);
    private static final long FIRST_BACKOFF_NANOS = Duration.ofMillis(100).toNanos();
    private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(1).toNanos();

    /** What waits between retries; a test may replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private record Writer(String subject, Schema schema) {
    }

    private final SchemaSource source;
    private final long unknownTtlNanos;
    private final int unknownMax;
    private final long outageRetryNanos;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;

    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    private final Map<Integer, Long> unknownUntil = new ConcurrentHashMap<>();
    private final Map<Writer, Integer> writerIds = new ConcurrentHashMap<>();

    private final AtomicLong unknownHits = new AtomicLong();
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong outages = new AtomicLong();

    public SchemaCache(SchemaSource source, Duration unknownIdTtl, int unknownIdMax, Duration outageRetry) {
        this(source, unknownIdTtl, unknownIdMax, outageRetry, System::nanoTime, java.util.concurrent.TimeUnit
                .NANOSECONDS::sleep);
    }

    public SchemaCache(SchemaSource source, Duration unknownIdTtl, int unknownIdMax, Duration outageRetry,
            LongSupplier nanoClock, Sleeper sleeper) {
        this.source = source;
        this.unknownTtlNanos = unknownIdTtl.toNanos();
        this.unknownMax = unknownIdMax;
        this.outageRetryNanos = outageRetry.toNanos();
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    public SchemaSource source() {
        return source;
    }

    /**
     * The writer schema of {@code id}.
     *
     * @throws UnknownSchemaIdException     the registry has no such id (now, or within the last TTL)
     * @throws RegistryUnavailableException the registry could not answer within the retry budget
     */
    public Schema schema(int id) {
        Schema schema = schemas.get(id);
        if (schema != null) {
            return schema;
        }
        Long until = unknownUntil.get(id);
        if (until != null) {
            if (nanoClock.getAsLong() - until < 0) {
                unknownHits.incrementAndGet();
                throw new UnknownSchemaIdException(id, "unknown schema id " + Integer.toUnsignedString(id)
                        + " (the registry answered 404 for it recently; asked again after "
                        + Duration.ofNanos(unknownTtlNanos) + ")");
            }
            unknownUntil.remove(id, until);
        }
        return fetch(id);
    }

    private Schema fetch(int id) {
        try {
            Schema schema = withRetry(() -> source.schemaById(id), "schema id " + Integer.toUnsignedString(id));
            Schema known = schemas.putIfAbsent(id, schema);
            return known != null ? known : schema;
        } catch (UnknownSchemaIdException e) {
            if (unknownUntil.size() >= unknownMax) {
                // A bounded memory: drop the expired entries, or all of them if none has expired.
                long now = nanoClock.getAsLong();
                unknownUntil.values().removeIf(expiry -> now - expiry >= 0);
                if (unknownUntil.size() >= unknownMax) {
                    unknownUntil.clear();
                }
            }
            unknownUntil.put(id, nanoClock.getAsLong() + unknownTtlNanos);
            throw e;
        }
    }

    /**
     * The id of writer schema {@code schema} under {@code subject}, registering it on first use; cached forever.
     */
    public int writerId(String subject, Schema schema) {
        Writer key = new Writer(subject, schema);
        Integer id = writerIds.get(key);
        if (id != null) {
            return id;
        }
        int registered = withRetry(() -> source.register(subject, schema), "registering " + subject);
        schemas.putIfAbsent(registered, schema);
        writerIds.putIfAbsent(key, registered);
        LOG.info("writer schema subject={} schema={} id={}", subject, schema.getFullName(), registered);
        return registered;
    }

    /** Registers {@code schema} under {@code subject} once, without retrying; false when the registry is down. */
    public boolean tryRegister(String subject, Schema schema) {
        Writer key = new Writer(subject, schema);
        if (writerIds.containsKey(key)) {
            return true;
        }
        try {
            int registered = source.register(subject, schema);
            schemas.putIfAbsent(registered, schema);
            writerIds.putIfAbsent(key, registered);
            LOG.info("writer schema subject={} schema={} id={}", subject, schema.getFullName(), registered);
            return true;
        } catch (RegistryUnavailableException e) {
            LOG.warn("schema registry unavailable at startup, {} is registered on first write: {}", subject,
                    e.getMessage());
            return false;
        }
    }

    private <T> T withRetry(java.util.function.Supplier<T> call, String what) {
        lookups.incrementAndGet();
        long start = nanoClock.getAsLong();
        long backoff = FIRST_BACKOFF_NANOS;
        while (true) {
            try {
                return call.get();
            } catch (RegistryUnavailableException e) {
                long elapsed = nanoClock.getAsLong() - start;
                if (elapsed + backoff > outageRetryNanos) {
                    outages.incrementAndGet();
                    LOG.warn("schema registry unavailable for {} after {} ms: {}", what, elapsed / 1_000_000,
                            e.getMessage());
                    throw e;
                }
                try {
                    sleeper.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
            }
        }
    }

    /** Records rejected by the unknown-id cache without asking the registry. */
    public long unknownIdHits() {
        return unknownHits.get();
    }

    /** Lookups and registrations that went to the registry. */
    public long registryLookups() {
        return lookups.get();
    }

    /** Lookups given up because the registry could not answer. */
    public long outages() {
        return outages.get();
    }

    /** Ids currently remembered as unknown. */
    public int unknownIds() {
        return unknownUntil.size();
    }
}
