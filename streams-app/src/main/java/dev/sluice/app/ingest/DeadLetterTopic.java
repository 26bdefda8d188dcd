package dev.sluice.app.ingest;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.failure.Stage;

/** Routes a dead-letter record to {@code dlq.<stage>} by its stage header. */
public final class DeadLetterTopic implements TopicNameExtractor<byte[], byte[]> {

    @Override
    public String extract(byte[] key, byte[] value, RecordContext context) {
        Header stage = context.headers().lastHeader(DeadLetterHeaders.STAGE);
        if (stage == null) {
            return Stage.PROCESS.topic();
        }
        return Stage.TOPIC_PREFIX + new String(stage.value(), StandardCharsets.UTF_8);
    }
}
