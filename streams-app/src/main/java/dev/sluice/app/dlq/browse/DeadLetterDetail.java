package dev.sluice.app.dlq.browse;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One dead letter. Its content (error message, original headers, key, value) is shown only to a caller with the API
 * token: it may hold personal data, which the read token must not reach.
 *
 * @param letter          the dead letter by its headers
 * @param payloadShown    whether the content is shown (false without the API token)
 * @param message         the error message (it may quote the value)
 * @param originalHeaders the record's own headers, as UTF-8 (or base64 when not text)
 * @param key             the key
 * @param value           the value
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "DeadLetterDetail")
public record DeadLetterDetail(DeadLetterSummary letter, boolean payloadShown, @Nullable String message,
        @Nullable Map<String, String> originalHeaders, @Nullable DecodedPayload key,
        @Nullable DecodedPayload value) {
}
