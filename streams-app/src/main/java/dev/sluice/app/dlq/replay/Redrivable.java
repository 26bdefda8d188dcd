package dev.sluice.app.dlq.replay;

import java.util.List;

import dev.sluice.app.dlq.ErrorCode;
import dev.sluice.app.dlq.browse.DeadLetterSummary;

/**
 * Which dead letters a redrive can re-produce: those read from a bronze topic of this pipeline at a known position.
 * Not the others: a duplicate's original reached silver already (redriving it would count it twice); late events and
 * aggregation failures were taken from silver in memory, not read from a topic (their source position is -1); and a
 * source-side dead letter ({@code dlq.source}, written by Kafka Connect) never reached a topic the topology reads.
 */
final class Redrivable {

    private Redrivable() {
    }

    /** Why {@code letter} cannot be redriven, null when it can. */
    static String whyNot(DeadLetterSummary letter, List<String> bronzeTopics) {
        if (ErrorCode.DUPLICATE.name().equals(letter.code())) {
            return "a duplicate: its original reached silver";
        }
        if (letter.sourceTopic() == null || !bronzeTopics.contains(letter.sourceTopic())) {
            return "not read from a bronze topic";
        }
        if (letter.sourcePartition() == null || letter.sourcePartition() < 0 || letter.sourceOffset() == null
                || letter.sourceOffset() < 0) {
            return "source position unknown";
        }
        return null;
    }
}
