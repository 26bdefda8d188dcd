package dev.sluice.app.alerts;

import java.net.URI;
import java.util.Optional;

import dev.sluice.app.compaction.CompactionRuns;
import dev.sluice.app.compaction.IcebergMaintenancePasses;
import dev.sluice.app.connect.ConnectorService;
import dev.sluice.app.query.StreamsAdmin;
import dev.sluice.app.query.StreamsInstance;
import dev.sluice.app.status.PipelineStatusService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The rules and channels of the alert evaluator. Rules over Kafka (topology, lag, lake sinks) exist only
 * with {@code kafka.enabled}; a rule whose {@code sluice.alerts.rules.<rule>.enabled} is false is not created.
 */
@Factory
@Requires(property = "sluice.alerts.enabled", notEquals = "false")
class AlertBeans {

    private static final String RULE = "sluice.alerts.rules.";

    @Singleton
    AlertBook alertBook(AlertSettings settings) {
        return new AlertBook(settings.getRecent());
    }

    @Singleton
    ExportedReadings exportedReadings(MeterRegistry registry) {
        return new ExportedReadings(registry);
    }

    @Singleton
    @Requires(missingBeans = FreshnessReadings.class)
    FreshnessReadings freshnessReadings(MeterRegistry registry) {
        return new RegistryFreshnessReadings(registry);
    }

    @Singleton
    @Named(ConnectorRules.FAILED)
    @Requires(property = RULE + ConnectorRules.FAILED + ".enabled", notEquals = "false")
    AlertRule connectorFailed(ConnectorService connectors, ExportedReadings readings) {
        return ConnectorRules.failed(connectors, readings);
    }

    @Singleton
    @Named(ConnectorRules.UNREACHABLE)
    @Requires(property = RULE + ConnectorRules.UNREACHABLE + ".enabled", notEquals = "false")
    AlertRule connectUnreachable(ConnectorService connectors, ExportedReadings readings) {
        return ConnectorRules.unreachable(connectors, readings);
    }

    @Singleton
    @Named(TopologyRule.NAME)
    @Requires(property = "kafka.enabled", notEquals = "false")
    @Requires(property = RULE + TopologyRule.NAME + ".enabled", notEquals = "false")
    AlertRule topology(StreamsInstance instance, ExportedReadings readings) {
        return new TopologyRule(instance, readings);
    }

    @Singleton
    @Named(LagRule.NAME)
    @Requires(property = "kafka.enabled", notEquals = "false")
    @Requires(property = RULE + LagRule.NAME + ".enabled", notEquals = "false")
    AlertRule lag(PipelineStatusService status, ExportedReadings readings,
            @Named(LagRule.NAME) RuleSettings settings) {
        return new LagRule(status, readings, settings.getThreshold());
    }

    @Singleton
    @Named(DeadLetterRateRule.NAME)
    @Requires(property = RULE + DeadLetterRateRule.NAME + ".enabled", notEquals = "false")
    AlertRule deadLetterRate(MeterRegistry registry, @Named(DeadLetterRateRule.NAME) RuleSettings settings) {
        return new DeadLetterRateRule(registry, settings.getThreshold());
    }

    @Singleton
    @Named(FreshnessRule.NAME)
    @Requires(property = RULE + FreshnessRule.NAME + ".enabled", notEquals = "false")
    AlertRule freshness(FreshnessReadings readings, @Named(FreshnessRule.NAME) RuleSettings settings) {
        return new FreshnessRule(readings, settings.getThreshold());
    }

    @Singleton
    @Named(SinkCommitRule.NAME)
    @Requires(property = "kafka.enabled", notEquals = "false")
    @Requires(property = RULE + SinkCommitRule.NAME + ".enabled", notEquals = "false")
    AlertRule sinkCommit(ConnectorService connectors, StreamsAdmin admin, ExportedReadings readings) {
        return new SinkCommitRule(connectors, admin, readings);
    }

    @Singleton
    @Named(SlotWalRule.NAME)
    @Requires(property = RULE + SlotWalRule.NAME + ".enabled", notEquals = "false")
    AlertRule slotWal(MeterRegistry registry, @Named(SlotWalRule.NAME) RuleSettings settings) {
        return new SlotWalRule(registry, settings.getThreshold());
    }

    @Singleton
    @Named(CompactionRule.NAME)
    @Requires(property = RULE + CompactionRule.NAME + ".enabled", notEquals = "false")
    AlertRule compaction(CompactionRuns runs, ExportedReadings readings) {
        return new CompactionRule(runs, readings);
    }

    /** Quiet when Iceberg maintenance is off: there are no passes then. */
    @Singleton
    @Named(IcebergMaintenanceRule.NAME)
    @Requires(property = RULE + IcebergMaintenanceRule.NAME + ".enabled", notEquals = "false")
    AlertRule icebergMaintenance(Optional<IcebergMaintenancePasses> passes, ExportedReadings readings) {
        return new IcebergMaintenanceRule(() -> passes.flatMap(p -> p.history(1).stream().findFirst()), readings);
    }

    @Singleton
    @Named("webhook")
    @Requires(property = "sluice.alerts.webhook.url", pattern = ".+")
    AlertChannel webhook(AlertSettings.Webhook webhook) {
        URI url;
        try {
            url = URI.create(webhook.getUrl());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("sluice.alerts.webhook.url: not a URL");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new ConfigurationException("sluice.alerts.webhook.url: must be http or https");
        }
        return new WebhookChannel(url, webhook.getFormat(), webhook.getTimeout());
    }

    @Singleton
    @Named("sns")
    @Bean(preDestroy = "close")
    @Requires(property = "sluice.alerts.sns.topic-arn", pattern = ".+")
    SnsChannel sns(AlertSettings.Sns sns) {
        if (sns.getRegion().isEmpty()) {
            throw new ConfigurationException("sluice.alerts.sns.region: required with sluice.alerts.sns.topic-arn");
        }
        if (sns.getAccessKey().isEmpty() != sns.getSecretKey().isEmpty()) {
            throw new ConfigurationException("sluice.alerts.sns.access-key and secret-key: set both or neither");
        }
        AwsCredentialsProvider credentials = sns.getAccessKey().isEmpty()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(sns.getAccessKey(), sns.getSecretKey()));
        return new SnsChannel(sns.getTopicArn(), sns.getRegion(),
                sns.getEndpoint().isEmpty() ? null : URI.create(sns.getEndpoint()), credentials, sns.getTimeout());
    }
}
