package dev.sluice.app.failure;

import java.util.Locale;

/**
 * The stages of the pipeline a record can fail in. Each has its dead-letter topic {@code dlq.<stage>}; every
 * processor of the topology is named {@code <stage>.<what>}, so that a failure inside Kafka Streams' own exception
 * handlers is attributed to its stage by the processor's name alone.
 */
public enum Stage {
    /** Bytes that are not a record of the expected format (Avro with a known schema, UTF-8 key). */
    DESERIALIZE,
    /** Records that break a declarative rule. */
    VALIDATE,
    /** Replays of a record already seen within the deduplication window. */
    DEDUPE,
    /** Mapping to silver, PII policy, joins with reference data. */
    ENRICH,
    /** Gold aggregates. */
    AGGREGATE,
    /** Records older than the grace period of the window they belong to. */
    LATE,
    /** A processor whose name does not say its stage (should not happen: a test guards the naming). */
    PROCESS;

    /** Prefix of every dead-letter topic. */
    public static final String TOPIC_PREFIX = "dlq.";

    private final String id = name().toLowerCase(Locale.ROOT);

    /** Lower-case name, used in processor names, topic names, headers and metric tags. */
    public String id() {
        return id;
    }

    /** The dead-letter topic of this stage, {@code dlq.<stage>}. */
    public String topic() {
        return TOPIC_PREFIX + id();
    }

    /** The prefix processors of this stage carry in their names. */
    public String nodePrefix() {
        return id() + ".";
    }

    /** The stage a processor belongs to, from its name {@code <stage>.<what>}; {@link #PROCESS} otherwise. */
    public static Stage ofNode(String processorName) {
        if (processorName != null) {
            for (Stage stage : values()) {
                if (processorName.startsWith(stage.nodePrefix())) {
                    return stage;
                }
            }
        }
        return PROCESS;
    }
}
