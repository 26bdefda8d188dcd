package dev.sluice.app.dlq.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.testing.InMemorySchemaSource;
import dev.sluice.app.testing.Out;
import dev.sluice.app.testing.PipelineDriver;
import dev.sluice.app.testing.Rows;
import dev.sluice.app.testing.TestConfig;
import dev.sluice.schemas.silver.Customer;

/**
 * The counting invariant across a redrive, in the topology: N records dead-lettered by a rule, redriven (as
 * {@link Redriver} re-produces them) into a topology whose rule was fixed, are N silver records carrying the redrive's
 * headers and no dead letter; the same redrive arriving a second time adds nothing to silver (dedupe).
 */
class RedriveCountingTest {

    private static final int N = 5;

    @Test
    void nDeadLettersRedrivenAfterTheFixAreNSilverRecordsOnce() {
        List<ProducerRecord<byte[], byte[]>> redriven = new ArrayList<>();
        // One schema source, as one registry behind the service before and after the fix.
        InMemorySchemaSource schemas = new InMemorySchemaSource();
        try (PipelineDriver before = PipelineDriver.start(options -> options.schemas = schemas)) {
            for (long id = 1; id <= N; id++) {
                Map<String, Object> row = Rows.customer(id);
                row.put("country", "de");
                before.customer(row);
            }
            assertEquals(0, before.read(before.topics().getSilverCustomers(), Customer.class).size());
            List<Out<byte[], byte[]>> letters = before.deadLetters(Stage.VALIDATE);
            assertEquals(N, letters.size());
            for (int offset = 0; offset < letters.size(); offset++) {
                Out<byte[], byte[]> letter = letters.get(offset);
                redriven.add(Redriver.redriven(new ConsumerRecord<>(Stage.VALIDATE.topic(), 0, offset,
                        letter.timestamp(), TimestampType.CREATE_TIME, -1, -1, letter.key(), letter.value(),
                        letter.headers(), Optional.empty()), "run-1"));
            }
        }
        try (PipelineDriver fixed = PipelineDriver.start(options -> {
            options.schemas = schemas;
            options.rules = TestConfig.rules(Map.of("customers.fields.country.pattern", "^[A-Za-z]{2}$"));
        })) {
            redriven.forEach(record -> send(fixed, record));

            List<Out<String, Customer>> silver = fixed.read(fixed.topics().getSilverCustomers(), Customer.class);
            assertEquals(N, silver.size());
            TreeSet<String> of = new TreeSet<>();
            for (Out<String, Customer> record : silver) {
                assertEquals("run-1", record.header(DeadLetterHeaders.REPLAY_ID));
                of.add(record.header(DeadLetterHeaders.REPLAY_OF));
                assertEquals(null, record.header(DeadLetterHeaders.ERROR_CODE), "no dead-letter header carried");
            }
            assertEquals(N, of.size(), "each dead letter once");
            assertEquals(List.of(), fixed.deadLetters(Stage.VALIDATE));

            redriven.forEach(record -> send(fixed, record));
            assertEquals(List.of(), fixed.read(fixed.topics().getSilverCustomers(), Customer.class),
                    "the second copy adds nothing to silver");
            assertEquals(N, fixed.deadLetters(Stage.DEDUPE).size());
        }
    }

    private static void send(PipelineDriver pipeline, ProducerRecord<byte[], byte[]> record) {
        pipeline.send(record.topic(), record.key(), record.value(), record.headers(),
                Instant.ofEpochMilli(record.timestamp()));
    }
}
