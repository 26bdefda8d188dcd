package dev.sluice.app.status;

import dev.sluice.app.query.StreamsInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;

/**
 * Binds every metric of the Kafka Streams instance and of its embedded consumers, producers and admin client to
 * Micrometer, with all their tags (thread, task, processor, store, topic, partition), so that Prometheus gets e.g.
 * {@code kafka_stream_thread_process_total{thread_id}}, {@code kafka_stream_task_process_total{task_id}} and
 * {@code kafka_stream_state_put_rate{task_id,rocksdb_state_id}}. Micronaut's own Kafka Streams reporter keeps
 * only the client id, topic and node id, so metrics of the same name on different threads, tasks and stores collide
 * and most are dropped; it is switched off in application.yml. New metrics (tasks assigned later) are picked up
 * within a minute.
 */
@Context
@Requires(property = "kafka.enabled", notEquals = "false")
@Requires(bean = MeterRegistry.class)
public class StreamsMetricsBinder {

    private final KafkaStreamsMetrics metrics;

    public StreamsMetricsBinder(StreamsInstance instance, MeterRegistry registry) {
        this.metrics = new KafkaStreamsMetrics(instance.streams());
        metrics.bindTo(registry);
    }

    @PreDestroy
    void close() {
        metrics.close();
    }
}
