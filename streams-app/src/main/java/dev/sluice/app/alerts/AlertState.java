package dev.sluice.app.alerts;

/** Where an alert stands. */
public enum AlertState {
    /** Breached, not yet for the rule's for-duration: no notification. */
    PENDING,
    /** Breached for the for-duration: notified once. */
    FIRING,
    /** No longer breached after firing: notified once. */
    RESOLVED
}
