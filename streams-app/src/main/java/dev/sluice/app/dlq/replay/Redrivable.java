package dev.sluice.app.dlq.replay;

import java.util.List;
import java.util.Set;

import dev.sluice.app.dlq.browse.DeadLetterSummary;
import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;

/**
 * Which dead letters a redrive can re-produce: those read from a bronze topic of this pipeline at a known position.
 * Not the others: a duplicate's original reached silver already (redriving it would count it twice); late events and
 * aggregation failures were taken from silver in memory, not read from a topic (their source position is -1); and a
 * source-side dead letter ({@code dlq.source}, written by Kafka Connect) is not a record of a bronze topic as the
 * topology reads it: it failed on its way from the source database, and is fixed and sent again at the source.
 */
final class Redrivable {

    private Redrivable() {
    }

    /**
     * The stages that read bronze records: only their dead letters are records of a bronze topic, as the topology
     * reads them. An allow-list, so that a stage added later (such as Connect's source-side {@code dlq.source}) is
     * not redriven until someone decides it can be.
     */
    private static final Set<String> BRONZE_STAGES = Set.of(Stage.DESERIALIZE.id(), Stage.VALIDATE.id(),
            Stage.DEDUPE.id(), Stage.ENRICH.id(), Stage.PROCESS.id());

    /** Why {@code letter} cannot be redriven, null when it can. */
    static String whyNot(DeadLetterSummary letter, List<String> bronzeTopics) {
        if (letter.stage() == null || !BRONZE_STAGES.contains(letter.stage())) {
            return "not a stage that reads bronze";
        }
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
