package dev.sluice.app.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;

/**
 * The dead-letter handlers stamp {@code sluice.error.time} by the clock the streams configuration gives them, not by
 * the system clock: with a fixed clock, a record that fails under TopologyTestDriver carries that clock's time.
 */
class DeadLetterClockTest {

    private static final Instant FIXED = Instant.parse("2026-03-01T12:34:56Z");

    @Test
    void aDeadLetterIsStampedByTheConfiguredClock() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .<String>mapValues(value -> {
                    throw new IllegalStateException("boom");
                }, Named.as("enrich.fails"))
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dead-letter-clock-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.putAll(StreamsErrorHandling.config(PipelineMetrics.inMemory(), Clock.fixed(FIXED, ZoneOffset.UTC)));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", Serdes.String().serializer(),
                    Serdes.String().serializer());
            TestOutputTopic<byte[], byte[]> dead = driver.createOutputTopic(Stage.ENRICH.topic(),
                    Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            in.pipeInput("k", "v", Instant.parse("2026-01-01T00:00:00Z"));

            TestRecord<byte[], byte[]> letter = dead.readRecord();
            assertEquals(FIXED.toString(), new String(letter.headers().lastHeader(DeadLetterHeaders.TIME).value(),
                    StandardCharsets.UTF_8));
            assertEquals(Instant.parse("2026-01-01T00:00:00Z"), letter.getRecordTime(),
                    "the record keeps its own timestamp; only the error time is the clock's");
        }
    }
}
