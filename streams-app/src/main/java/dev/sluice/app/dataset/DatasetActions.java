package dev.sluice.app.dataset;

import java.util.List;

/** What applying a dataset specification does outside the topology (connectors, database, lake sinks). */
public interface DatasetActions {

    /**
     * Problems that would make apply fail, each naming the spec field or the external object; empty = fine. No
     * change is made.
     */
    List<String> problems(DatasetSpec spec);

    /** Makes the platform carry the dataset (idempotent: applying the same spec twice changes nothing the second time). */
    void apply(DatasetSpec spec);

    /** Undoes apply for a dataset that is being deleted (idempotent); data already in topics/lake stays. */
    void remove(DatasetSpec spec);
}
