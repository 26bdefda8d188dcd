package dev.sluice.app.alerts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;

/**
 * Evaluates every rule each {@code sluice.alerts.interval} and tells each channel of every transition to FIRING or
 * RESOLVED, at most {@code rate-limit} per {@code rate-window} per channel. Each instance evaluates its own view
 * (its metrics, its Kafka Streams); the status-wide rules (connectors, lag) fire on every instance alike, and
 * deduplication across instances is left to the receiver (docs/operations.md, "Alerts").
 */
@Context
@Requires(property = "sluice.alerts.enabled", notEquals = "false")
public class AlertEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

    private final List<AlertRule> rules;
    private final BeanContext beans;
    private final AlertBook book;
    private final List<RateLimitedChannel> channels;
    private final Clock clock;
    private final String instance;
    private final ScheduledFuture<?> scheduled;

    public AlertEvaluator(List<AlertRule> rules, BeanContext beans, AlertBook book, List<AlertChannel> channels,
            AlertSettings settings, @Named("alerts") Clock clock,
            @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.rules = rules;
        this.beans = beans;
        this.book = book;
        this.clock = clock;
        this.channels = channels.stream().map(channel -> new RateLimitedChannel(channel, settings.getRateLimit(),
                settings.getRateWindow(), clock)).toList();
        this.instance = settings.getInstance().isEmpty() ? hostName() : settings.getInstance();
        Duration interval = settings.getInterval();
        this.scheduled = scheduler.scheduleAtFixedRate(interval, interval, this::evaluate);
        LOG.info("Alerts: {} rules every {}, channels {}", rules.size(), interval,
                this.channels.stream().map(RateLimitedChannel::name).toList());
    }

    /** One evaluation of every rule; scheduled, and public for tests that move the clock themselves. */
    public synchronized void evaluate() {
        Instant now = clock.instant();
        for (AlertRule rule : rules) {
            List<Finding> findings;
            try {
                findings = rule.check(now);
            } catch (RuntimeException e) {
                LOG.warn("Alert rule {} could not be evaluated, its alerts stay as they were: {}", rule.name(),
                        e.getMessage());
                continue;
            }
            Duration forDuration = beans.findBean(RuleSettings.class, Qualifiers.byName(rule.name()))
                    .map(RuleSettings::getForDuration).orElse(Duration.ZERO);
            for (AlertView alert : book.apply(rule.name(), findings, forDuration, now)) {
                notify(new Notification(alert, instance));
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

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    @PreDestroy
    void stop() {
        scheduled.cancel(false);
    }
}
