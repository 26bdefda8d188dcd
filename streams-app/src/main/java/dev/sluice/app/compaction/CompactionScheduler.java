package dev.sluice.app.compaction;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import io.micronaut.scheduling.cron.CronExpression;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;

/**
 * Starts a compaction run at every time {@code sluice.compaction.cron} names, in {@code sluice.compaction.timezone}.
 * Created at start-up, so a malformed expression stops the service with a message naming the key.
 */
@Context
@Requires(property = "sluice.compaction.enabled", value = "true")
public class CompactionScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(CompactionScheduler.class);

    private final CronExpression cron;
    private final ZoneId zone;
    private final ScheduledFuture<?> scheduled;

    public CompactionScheduler(CompactionConfiguration configuration, CompactionRuns runs,
            @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        try {
            zone = ZoneId.of(configuration.getTimezone());
        } catch (DateTimeException e) {
            throw new ConfigurationException("sluice.compaction.timezone '" + configuration.getTimezone()
                    + "' is not a time zone");
        }
        String expression = configuration.getCron() == null ? "" : configuration.getCron().strip();
        if (expression.isEmpty()) {
            cron = null;
            scheduled = null;
            LOG.info("compaction schedule off (sluice.compaction.cron is empty); runs start over the API only");
            return;
        }
        try {
            cron = CronExpression.create(expression);
            cron.nextTimeAfter(ZonedDateTime.now(zone));
        } catch (RuntimeException e) {
            throw new ConfigurationException("sluice.compaction.cron '" + expression + "' is not a cron expression "
                    + "(sec min hour day-of-month month day-of-week): " + e.getMessage());
        }
        scheduled = scheduler.schedule(expression, zone.getId(), () -> runs.start(RunView.Trigger.SCHEDULE));
        LOG.info("compaction scheduled cron='{}' zone={} next={}", expression, zone, nextRunAt().orElse(null));
    }

    /** The cron expression, if runs are scheduled. */
    public Optional<String> cron() {
        return Optional.ofNullable(cron).map(CronExpression::getExpression);
    }

    /** The zone the expression is evaluated in. */
    public ZoneId zone() {
        return zone;
    }

    /** When the next scheduled run starts, if runs are scheduled. */
    public Optional<ZonedDateTime> nextRunAt() {
        return Optional.ofNullable(cron).map(c -> c.nextTimeAfter(ZonedDateTime.now(zone)));
    }

    @PreDestroy
    void cancel() {
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
