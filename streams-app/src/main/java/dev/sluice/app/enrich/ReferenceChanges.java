package dev.sluice.app.enrich;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter of changes to the reference tables, bumped by the global thread's loaders and read by the order
 * enrichers: a waiting order or line can only become enrichable when a reference changed (or its wait ran out), so
 * the periodic retry skips its scan of the waiting events while the counter stands still.
 */
public final class ReferenceChanges {

    private final AtomicLong version = new AtomicLong();

    /** Called after every change to a reference table. */
    public void changed() {
        version.incrementAndGet();
    }

    /** Grows with every change; equal values mean no change in between. */
    public long version() {
        return version.get();
    }
}
