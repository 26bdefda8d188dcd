package dev.sluice.app.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class SluiceTopologyTest {

    @Test
    void userEventsReachSilverWithBytesAndHeadersIntact() {
        PipelineTopics topics = new PipelineTopics();
        StreamsBuilder builder = new StreamsBuilder();
        new SluiceTopology(topics).build(builder);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "sluice-test");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic(topics.getUserEvents(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(topics.getSilverUserEvents(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            RecordHeaders headers = new RecordHeaders();
            headers.add("trace", "abc".getBytes(StandardCharsets.UTF_8));
            in.pipeInput(new TestRecord<>(bytes("u1"), bytes("payload"), headers));
            TestRecord<byte[], byte[]> record = out.readRecord();
            assertArrayEquals(bytes("u1"), record.key());
            assertArrayEquals(bytes("payload"), record.value());
            assertArrayEquals(bytes("abc"), record.headers().lastHeader("trace").value());
            assertEquals(true, out.isEmpty());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
