package dev.sluice.lake.compaction;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hour a partition path names ({@code year=YYYY/month=MM/day=DD/hour=HH/...}), in the sink's time zone. A
 * local hour that occurs twice (the end of daylight saving time) holds the events of both, so it ends when the
 * second one does.
 */
final class PartitionHours {

    private static final Pattern HOUR_PATH =
            Pattern.compile("year=(\\d{4})/month=(\\d{2})/day=(\\d{2})/hour=(\\d{2})(/.*)?");

    private PartitionHours() {
    }

    /** The local start of the hour of {@code path}; empty when the path does not start with the time segments. */
    static Optional<LocalDateTime> hourStart(String path) {
        Matcher m = HOUR_PATH.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), 0));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The first instant of a local time (the earlier one when it occurs twice). */
    static Instant start(LocalDateTime local, ZoneId zone) {
        return ZonedDateTime.ofLocal(local, zone, null).withEarlierOffsetAtOverlap().toInstant();
    }

    /** The instant a local period ending at {@code localEnd} is over (the later one when it occurs twice). */
    static Instant end(LocalDateTime localEnd, ZoneId zone) {
        return ZonedDateTime.ofLocal(localEnd, zone, null).withLaterOffsetAtOverlap().toInstant();
    }

    /** When the hour of {@code path} is over; empty when the path names no hour. */
    static Optional<Instant> hourEnd(String path, ZoneId zone) {
        return hourStart(path).map(start -> end(start.plusHours(1), zone));
    }
}
