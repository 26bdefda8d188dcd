package dev.sluice.app.query;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The sessions of one user that overlap [from, to).
 *
 * @param userId   the user
 * @param from     start of the range, ISO-8601; null when open
 * @param to       end of the range (exclusive); null when open
 * @param sessions the sessions, oldest first
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "UserSessions")
public record UserSessions(String userId, @Nullable String from, @Nullable String to, List<SessionView> sessions) {
}
