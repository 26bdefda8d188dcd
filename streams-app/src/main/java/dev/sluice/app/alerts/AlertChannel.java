package dev.sluice.app.alerts;

/** Where notifications go (a webhook, an SNS topic). */
public interface AlertChannel {

    /** A short name for logs and the rate limit, e.g. {@code webhook}. */
    String name();

    /** Delivers one notification; throws when it could not (the evaluator logs it, one line, and goes on). */
    void send(Notification notification) throws Exception;
}
