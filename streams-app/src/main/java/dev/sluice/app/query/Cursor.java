package dev.sluice.app.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a page of a key-range query ended: the last key, and for windowed and session stores the start of the last
 * window or session. Opaque to clients (URL-safe base64); the next page starts after it.
 *
 * @param key  the last key returned
 * @param time the last window or session start, epoch ms; 0 for key-value stores
 */
public record Cursor(Object key, long time) {

    /** The cursor as text for a URL. */
    public String encode(KeyType type) {
        String plain = time + "|" + type.format(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in {@code text}; a 400 answer when it is not one of {@code type}. */
    public static Cursor decode(String text, KeyType type) {
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw QueryException.badRequest("cursor is not a cursor of this query");
        }
        int bar = plain.indexOf('|');
        if (bar < 1) {
            throw QueryException.badRequest("cursor is not a cursor of this query");
        }
        try {
            return new Cursor(type.parse(plain.substring(bar + 1), "cursor"), Long.parseLong(plain.substring(0, bar)));
        } catch (NumberFormatException e) {
            throw QueryException.badRequest("cursor is not a cursor of this query");
        }
    }
}
