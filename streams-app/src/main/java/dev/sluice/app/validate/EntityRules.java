package dev.sluice.app.validate;

import java.time.Duration;
import java.util.List;

/**
 * Validation and deduplication rules of one entity ({@code sluice.validation.<entity>}).
 *
 * @param maxRecordBytes largest serialized value accepted; 0 for no limit
 * @param acceptTombstones whether a Kafka tombstone (null value) is a valid delete (CDC) or invalid (events)
 * @param fields field rules, in the order they are checked
 * @param dedupeKey fields whose values together identify a change or event; empty to not deduplicate
 * @param dedupeWindow how long a seen identity is remembered
 */
public record EntityRules(String entity, int maxRecordBytes, boolean acceptTombstones, List<FieldRule> fields,
        List<String> dedupeKey, Duration dedupeWindow) {

    public boolean deduplicates() {
        return !dedupeKey.isEmpty();
    }
}
