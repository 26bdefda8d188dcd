package dev.sluice.app.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over every rule: what each sees now goes into the {@link AlertBook}, and each transition to FIRING or
 * RESOLVED goes to every channel through its rate limit. A rule that throws keeps its alerts as they were; a channel
 * that fails does not keep the others from being told.
 *
 * <p>Deduplication across instances: transitions of {@link AlertRule.Scope#DEPLOYMENT deployment-wide} rules are
 * notified only while this instance leads. An instance that starts to lead notifies the deployment-wide alerts
 * firing then, since the previous leader may have gone before telling: a receiver may hear of one twice around a
 * change of leader, never not at all.
 */
public class AlertEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluation.class);

    private final List<AlertRule> rules;
    private final Map<String, Duration> forDurations;
    private final AlertBook book;
    private final List<RateLimitedChannel> channels;
    private final Clock clock;
    private final String instance;
    private final BooleanSupplier leading;
    private final Map<String, AlertRule.Scope> scopes;
    private boolean led;

    /**
     * @param forDurations each rule's for-duration by rule name; a rule not in it fires at once
     * @param leading      whether this instance leads now, i.e. notifies deployment-wide alerts
     */
    public AlertEvaluation(List<AlertRule> rules, Map<String, Duration> forDurations, AlertBook book,
            List<RateLimitedChannel> channels, Clock clock, String instance, BooleanSupplier leading) {
        this.rules = rules;
        this.forDurations = forDurations;
        this.book = book;
        this.channels = channels;
        this.clock = clock;
        this.instance = instance;
        this.leading = leading;
        this.scopes = rules.stream().collect(Collectors.toMap(AlertRule::name, AlertRule::scope));
    }

    public synchronized void run() {
        Instant now = clock.instant();
        boolean leads = leading.getAsBoolean();
        if (leads && !led) {
            for (AlertView alert : book.active()) {
                if (alert.state() == AlertState.FIRING && scopes.get(alert.rule()) == AlertRule.Scope.DEPLOYMENT) {
                    notify(new Notification(alert, instance));
                }
            }
        }
        led = leads;
        for (AlertRule rule : rules) {
            List<Finding> findings;
            try {
                findings = rule.check(now);
            } catch (RuntimeException e) {
                LOG.warn("Alert rule {} could not be evaluated, its alerts stay as they were: {}", rule.name(),
                        e.getMessage());
                continue;
            }
            Duration forDuration = forDurations.getOrDefault(rule.name(), Duration.ZERO);
            for (AlertView alert : book.apply(rule.name(), findings, forDuration, now)) {
                if (leads || rule.scope() == AlertRule.Scope.INSTANCE) {
                    notify(new Notification(alert, instance));
                } else {
                    LOG.info("Alert {} {} {} (the leading instance notifies it)", alert.state(), alert.rule(),
                            alert.labels());
                }
            }
        }
    }

    private void notify(Notification notification) {
        LOG.info("Alert {} {} {}", notification.alert().state(), notification.alert().rule(),
                notification.alert().labels());
        for (RateLimitedChannel channel : channels) {
            try {
                if (!channel.offer(notification)) {
                    LOG.warn("Alert channel {} rate limit reached, notification dropped ({} so far)", channel.name(),
                            channel.dropped());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("Alert channel {} failed: {}", channel.name(), e.getMessage());
            }
        }
    }
}
