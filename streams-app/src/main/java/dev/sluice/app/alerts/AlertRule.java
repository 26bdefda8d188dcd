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

    /**
     * Every breach now. A rule that cannot read what it watches throws: the evaluator logs it and keeps the rule's
     * alerts as they were rather than resolving them on missing data.
     */
    List<Finding> check(Instant now);
}
