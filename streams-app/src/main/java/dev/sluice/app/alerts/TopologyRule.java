package dev.sluice.app.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KafkaStreams;

import dev.sluice.app.query.StreamsInstance;

/** {@code topology-not-running}: this instance's Kafka Streams is not RUNNING (rebalancing long, stopped, error). */
class TopologyRule extends NamedRule {

    static final String NAME = "topology-not-running";

    private final StreamsInstance instance;
    private final ExportedReadings readings;

    TopologyRule(StreamsInstance instance, ExportedReadings readings) {
        super(NAME, Scope.INSTANCE);
        this.instance = instance;
        this.readings = readings;
    }

    @Override
    public List<Finding> check(Instant now) {
        KafkaStreams.State state = instance.state();
        boolean running = state == KafkaStreams.State.RUNNING;
        readings.publish("sluice.streams.running", "1 while this instance's Kafka Streams is RUNNING", running ? 1 : 0);
        return running ? List.of() : List.of(new Finding(Map.of(), "Kafka Streams is " + state));
    }
}
