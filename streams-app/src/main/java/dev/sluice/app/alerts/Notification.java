package dev.sluice.app.alerts;

/**
 * A transition the channels are told about: an alert started firing or resolved.
 *
 * @param alert the alert after the transition (state FIRING or RESOLVED)
 * @param instance the app instance that evaluated it (each instance evaluates its own view)
 */
public record Notification(AlertView alert, String instance) {

    public boolean firing() {
        return alert.state() == AlertState.FIRING;
    }
}
