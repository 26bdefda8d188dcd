package dev.sluice.app.dataset.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;

import dev.sluice.app.dataset.DatasetActions;
import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.SourceKind;
import dev.sluice.app.query.StreamsAdmin;
import dev.sluice.app.serde.RegistrySettings;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Datasets of kind {@code topic}: applications produce to the topic, so nothing is created; the checks are that
 * the topic exists and its subject has a schema (the silver schema is derived from it).
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Singleton
public class TopicDatasetActions implements DatasetActions {

    private static final long TIMEOUT_SECONDS = 10;

    private final Supplier<Admin> admin;
    private final SubjectSchemas subjects;

    @Inject
    public TopicDatasetActions(StreamsAdmin admin, RegistrySettings registry) {
        this(admin::admin, new SubjectSchemas(registry.apiV2Url(), registry.getRequestTimeout()));
    }

    TopicDatasetActions(Supplier<Admin> admin, SubjectSchemas subjects) {
        this.admin = admin;
        this.subjects = subjects;
    }

    @Override
    public List<String> problems(DatasetSpec spec) {
        if (spec.source().kind() != SourceKind.TOPIC) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        String topic = spec.source().topic();
        try {
            Set<String> topics = admin.get().listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!topics.contains(topic)) {
                problems.add("source.topic: no topic '" + topic + "' on the Kafka cluster");
            }
        } catch (ExecutionException | TimeoutException e) {
            problems.add("source.topic: the Kafka cluster cannot list its topics: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("source.topic: interrupted while listing the topics");
        }
        String subject = spec.source().subject();
        try {
            if (!subjects.hasSchema(subject)) {
                problems.add("source.subject: the registry has no schema under subject '" + subject + "'");
            }
        } catch (IOException e) {
            problems.add("source.subject: the registry cannot tell whether '" + subject + "' has a schema: "
                    + e.getMessage());
        }
        return problems;
    }

    @Override
    public void apply(DatasetSpec spec) {
        // Applications produce to the topic; nothing outside the topology to set up.
    }

    @Override
    public void remove(DatasetSpec spec) {
        // The topic belongs to its producers; it stays.
    }
}
