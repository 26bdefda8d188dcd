package dev.sluice.app.query;

import java.io.IOException;
import java.util.List;

import dev.sluice.app.query.StoreQueryService.Partial;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

/** The bodies other instances answer a forwarded query with, read back as the types they were written from. */
final class RemoteAnswers {

    private final JsonMapper json;

    RemoteAnswers(JsonMapper json) {
        this.json = json;
    }

    /** The items of a page and whether the instance had more. */
    <T> Partial<T> page(byte[] body, Class<T> itemType) {
        Page<T> page = read(body, Argument.of(Page.class, itemType));
        return new Partial<>(page.items() == null ? List.of() : page.items(), page.next() != null);
    }

    <T> T read(byte[] body, Class<T> type) {
        return read(body, Argument.of(type));
    }

    @SuppressWarnings("unchecked")
    private <T> T read(byte[] body, Argument<?> type) {
        try {
            return (T) json.readValue(body, type);
        } catch (IOException e) {
            throw new IllegalStateException("another instance answered with unreadable JSON", e);
        }
    }
}
