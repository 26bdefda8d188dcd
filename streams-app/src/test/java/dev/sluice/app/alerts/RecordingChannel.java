package dev.sluice.app.alerts;

import java.util.ArrayList;
import java.util.List;

/** A channel that keeps what it is sent, for the tests to read. */
final class RecordingChannel implements AlertChannel {

    /** Every notification sent, in order. */
    final List<Notification> delivered = new ArrayList<>();

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public void send(Notification notification) {
        delivered.add(notification);
    }
}
