package dev.sluice.app.alerts;

import java.util.stream.Collectors;

/** The one-line text of a notification, shared by the Slack format and SNS's subject and message. */
final class NotificationText {

    private NotificationText() {
    }

    /** e.g. {@code [FIRING] connector-failed {connector=pg-orders}: connector pg-orders is FAILED (instance app-0)}. */
    static String line(Notification notification) {
        AlertView alert = notification.alert();
        String labels = new java.util.TreeMap<>(alert.labels()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        return "[" + alert.state() + "] " + alert.rule() + " " + labels + ": " + alert.summary() + " (instance "
                + notification.instance() + ")";
    }
}
