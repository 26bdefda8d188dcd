package dev.sluice.app.dlq.browse;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A dead letter's key or value, decoded where possible.
 *
 * @param decoded the content as JSON, personal fields protected by the PII policy; null when not decodable or null
 * @param base64  the bytes, when they could not be decoded
 * @param error   why they could not be decoded
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "DeadLetterPayload")
public record DecodedPayload(@Nullable Object decoded, @Nullable String base64, @Nullable String error) {
}
