package dev.sluice.app.dlq.replay;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Progress and outcome of a redrive, found by its id in the records written since it ran.
 *
 * @param run               what the redrive did
 * @param nowInSilver       redriven dead letters with a silver record carrying the redrive's id
 * @param deadLetteredAgain redriven dead letters that failed again (a dead letter carrying the redrive's id)
 * @param pending           neither yet: still on their way through the topology
 * @param deadLettersAgain  where the new dead letters are, {@code <topic>/<partition>/<offset>} (at most 100)
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "ReplayProgress")
public record ReplayProgress(ReplayRun run, int nowInSilver, int deadLetteredAgain, int pending,
        List<String> deadLettersAgain) {
}
