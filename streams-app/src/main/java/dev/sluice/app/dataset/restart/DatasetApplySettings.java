package dev.sluice.app.dataset.restart;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * How dataset changes reach the running topology ({@code sluice.datasets.*}, the keys of the dataset API):
 * <ul>
 * <li>{@code apply} ({@code report}): {@code report} only reports {@code pending-restart}; {@code restart} makes the
 * instance close its streams and exit with {@value StreamsRestart#EXIT_CODE} so that its supervisor starts it with
 * the new topology;</li>
 * <li>{@code restart-command}: the exact command an operator runs to restart the instances, shown with
 * {@code pending-restart} (docs/datasets.md lists it for ./sluice up, docker compose and Kubernetes);</li>
 * <li>{@code poll-interval} (10s): how often the shared directory is compared with the running topology, to notice
 * changes made through another instance or by hand.</li>
 * </ul>
 */
@ConfigurationProperties("sluice.datasets")
public class DatasetApplySettings {

    private ApplyMode apply = ApplyMode.REPORT;
    private String restartCommand = "restart every streams-app instance";
    private Duration pollInterval = Duration.ofSeconds(10);

    public ApplyMode getApply() {
        return apply;
    }

    public void setApply(ApplyMode apply) {
        this.apply = apply;
    }

    public String getRestartCommand() {
        return restartCommand;
    }

    public void setRestartCommand(String restartCommand) {
        this.restartCommand = restartCommand;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        if (pollInterval == null || pollInterval.isZero() || pollInterval.isNegative()) {
            throw new IllegalArgumentException("sluice.datasets.poll-interval: must be a positive duration such as 10s");
        }
        this.pollInterval = pollInterval;
    }
}
