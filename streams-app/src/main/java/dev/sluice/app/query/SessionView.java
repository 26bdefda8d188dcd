package dev.sluice.app.query;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One activity session of a user (store user-sessions).
 *
 * @param userId         the user
 * @param sessionStart   time of its first event, ISO-8601 UTC
 * @param sessionEnd     time of its last event
 * @param eventCount     events in it
 * @param pageViews      page_view events
 * @param searches       search events
 * @param addToCart      add_to_cart events
 * @param removeFromCart remove_from_cart events
 * @param checkouts      checkout events
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "UserSession")
public record SessionView(String userId, String sessionStart, String sessionEnd, long eventCount, long pageViews,
        long searches, long addToCart, long removeFromCart, long checkouts) {
}
