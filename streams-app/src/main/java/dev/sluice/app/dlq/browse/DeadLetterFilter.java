package dev.sluice.app.dlq.browse;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;

/**
 * Which dead letters a browse or a redrive is about, by their headers; every part is optional.
 *
 * @param stage  a {@link Stage#id()}: only its topic {@code dlq.<stage>} is read
 * @param code   an {@link ErrorCode} name
 * @param rule   the broken validation rule, exactly
 * @param source the source record: {@code <topic>}, {@code <topic>/<partition>} or {@code <topic>/<partition>/<offset>}
 * @param from   dead-lettered at or after (header {@code sluice.error.time})
 * @param to     dead-lettered before
 */
public record DeadLetterFilter(Stage stage, ErrorCode code, String rule, String source, Instant from, Instant to) {

    public static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null, null, null, null);

    /** The filter from request parameters, each null or blank when not given; wrong values name the parameter. */
    public static DeadLetterFilter of(String stage, String code, String rule, String source, String from, String to) {
        return new DeadLetterFilter(stage(stage), code(code), blankToNull(rule), blankToNull(source),
                instant("from", from), instant("to", to));
    }

    /** The dead-letter topics to read: the stage's, or all of {@code all}. */
    public List<String> topics(List<String> all) {
        return stage == null ? all : all.stream().filter(stage.topic()::equals).toList();
    }

    public boolean matches(DeadLetterSummary letter) {
        return (stage == null || stage.id().equals(letter.stage()))
                && (code == null || code.name().equals(letter.code()))
                && (rule == null || rule.equals(letter.rule()))
                && (source == null || matchesSource(letter))
                && inTime(letter);
    }

    private boolean matchesSource(DeadLetterSummary letter) {
        String at = letter.sourceTopic() + "/" + letter.sourcePartition() + "/" + letter.sourceOffset();
        return at.equals(source) || at.startsWith(source + "/");
    }

    private boolean inTime(DeadLetterSummary letter) {
        if (from == null && to == null) {
            return true;
        }
        Instant at;
        try {
            at = Instant.parse(letter.errorTime() != null ? letter.errorTime() : letter.timestamp());
        } catch (DateTimeParseException e) {
            return false;
        }
        return (from == null || !at.isBefore(from)) && (to == null || at.isBefore(to));
    }

    private static Stage stage(String id) {
        if (blankToNull(id) == null) {
            return null;
        }
        return Arrays.stream(Stage.values()).filter(s -> s.id().equals(id.strip().toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("stage: '" + id + "' is not one of "
                        + Arrays.stream(Stage.values()).map(Stage::id).toList()));
    }

    private static ErrorCode code(String name) {
        if (blankToNull(name) == null) {
            return null;
        }
        try {
            return ErrorCode.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("code: '" + name + "' is not one of "
                    + Arrays.toString(ErrorCode.values()));
        }
    }

    private static Instant instant(String parameter, String text) {
        if (blankToNull(text) == null) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(parameter + ": '" + text + "' is not an ISO-8601 instant such as "
                    + "2026-11-22T10:00:00Z");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
