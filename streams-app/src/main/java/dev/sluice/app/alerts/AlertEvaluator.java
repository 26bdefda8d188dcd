package dev.sluice.app.alerts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.placement.Leadership;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;

/**
 * Runs the {@link AlertEvaluation} every {@code sluice.alerts.interval}, each channel limited to {@code rate-limit}
 * notifications per {@code rate-window}. Each instance evaluates every rule over its own view, for its
 * {@code /api/alerts}; of the deployment-wide rules (connectors, lag, sinks, slots) only the {@link Leadership leader}
 * notifies (docs/operations.md, "Alerts"). Without Kafka (no leadership) the instance notifies everything.
 */
@Context
@Requires(property = "sluice.alerts.enabled", notEquals = "false")
public class AlertEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

    private final AlertEvaluation evaluation;
    private final ScheduledFuture<?> scheduled;

    public AlertEvaluator(List<AlertRule> rules, List<RuleSettings> ruleSettings, AlertBook book,
            List<AlertChannel> channels, AlertSettings settings, Clock clock,
            @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler, Optional<Leadership> leadership) {
        Map<String, Duration> forDurations = ruleSettings.stream().collect(Collectors.toMap(RuleSettings::getRule,
                RuleSettings::getForDuration));
        List<RateLimitedChannel> limited = channels.stream().map(channel -> new RateLimitedChannel(channel,
                settings.getRateLimit(), settings.getRateWindow(), clock)).toList();
        this.evaluation = new AlertEvaluation(rules, forDurations, book, limited, clock,
                settings.getInstance().isEmpty() ? hostName() : settings.getInstance(),
                leadership.<java.util.function.BooleanSupplier>map(l -> l::isLeader).orElse(() -> true));
        Duration interval = settings.getInterval();
        this.scheduled = scheduler.scheduleAtFixedRate(interval, interval, evaluation::run);
        LOG.info("Alerts: {} rules every {}, channels {}", rules.size(), interval,
                limited.stream().map(RateLimitedChannel::name).toList());
    }

    /** One evaluation now, besides the scheduled ones. */
    public void evaluate() {
        evaluation.run();
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
