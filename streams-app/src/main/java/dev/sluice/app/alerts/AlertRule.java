package dev.sluice.app.alerts;

import java.time.Instant;
import java.util.List;

/**
 * One alert condition over the app's own status or metrics. {@link #check} answers every breach seen now; the
 * {@link AlertBook} turns breaches that last the rule's for-duration into firing alerts, and breaches that end
 * into resolved ones.
 */
public interface AlertRule {

    /** The rule's name, as in {@code sluice.alerts.rules.<name>} and the Prometheus rules' {@code rule} label. */
    String name();

    /** What the rule watches: the deployment (every instance sees the same) or this instance. */
    Scope scope();

    /**
     * Every breach now. A rule that cannot read what it watches throws: the evaluator logs it and keeps the rule's
     * alerts as they were rather than resolving them on missing data.
     */
    List<Finding> check(Instant now);

    /** Who notifies an alert of the rule. */
    enum Scope {
        /**
         * Every instance sees the same breach (Connect, a consumer group's lag, a replication slot): every instance
         * evaluates it, for its {@code /api/alerts}, but only the leading one notifies, so a receiver hears of it once.
         */
        DEPLOYMENT,
        /** A breach of this instance alone (its Kafka Streams, its dead letters, its measurements): it notifies. */
        INSTANCE
    }
}
