package dev.sluice.app.query;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A queryable gold store.
 *
 * @param name        store name and path segment under /api/stores
 * @param kind        KEY_VALUE, WINDOW or SESSION
 * @param key         what its key is
 * @param keyType     LONG or STRING
 * @param description what it holds
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Store")
public record StoreInfo(String name, StoreKind kind, String key, KeyType keyType, String description) {
}
