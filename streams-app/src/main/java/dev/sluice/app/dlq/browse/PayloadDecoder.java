package dev.sluice.app.dlq.browse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import dev.sluice.app.dlq.Failures;
import dev.sluice.app.serde.RegistrySerdes;
import dev.sluice.app.silver.PiiPolicy;

/**
 * Decodes a dead letter's key and value where possible: Avro with its schema from the registry (a key may also be a
 * UTF-8 string), as plain JSON-ready maps and lists, with the personal fields passed through silver's
 * {@link PiiPolicy}, so that the browser shows no more of a person than silver does. What cannot be decoded is given
 * as base64 with the reason, which is what the operator needs to understand the failure.
 */
public final class PayloadDecoder {

    private final Deserializer<Object> keys;
    private final Deserializer<Object> values;
    private final PiiPolicy pii;

    public PayloadDecoder(RegistrySerdes registry, PiiPolicy pii) {
        this.keys = registry.genericDeserializer(true);
        this.values = registry.genericDeserializer(false);
        this.pii = pii;
    }

    public DecodedPayload key(String topic, Headers headers, byte[] bytes) {
        DecodedPayload avro = decode(keys, topic, headers, bytes);
        if (avro.decoded() != null || bytes == null) {
            return avro;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return new DecodedPayload(text, null, null);
        } catch (CharacterCodingException e) {
            return avro;
        }
    }

    public DecodedPayload value(String topic, Headers headers, byte[] bytes) {
        return decode(values, topic, headers, bytes);
    }

    private DecodedPayload decode(Deserializer<Object> deserializer, String topic, Headers headers, byte[] bytes) {
        if (bytes == null) {
            return new DecodedPayload(null, null, null);
        }
        try {
            Object value = deserializer.deserialize(topic, headers, bytes);
            if (value instanceof GenericRecord record) {
                return new DecodedPayload(plain(record), null, null);
            }
            return new DecodedPayload(null, base64(bytes), "not an Avro record");
        } catch (RuntimeException e) {
            // Expected for the bytes that made a record undecodable in the first place; the class says why enough
            // (the message may quote the bytes).
            String why = Failures.isTransient(e) ? "the schema registry is unavailable" : "not decodable ("
                    + e.getClass().getSimpleName() + ")";
            return new DecodedPayload(null, base64(bytes), why);
        }
    }

    private Object plain(Object value) {
        if (value instanceof GenericRecord record) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Schema.Field field : record.getSchema().getFields()) {
                Object content = record.get(field.pos());
                fields.put(field.name(), PiiPolicy.isPersonal(field.name()) && content != null
                        ? pii.protect(field.name(), content.toString()) : plain(content));
            }
            return fields;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> entries = new LinkedHashMap<>();
            map.forEach((k, v) -> entries.put(String.valueOf(k), plain(v)));
            return entries;
        }
        if (value instanceof Collection<?> items) {
            List<Object> list = new ArrayList<>();
            items.forEach(item -> list.add(plain(item)));
            return list;
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return base64(bytes);
        }
        if (value instanceof GenericFixed fixed) {
            return base64(fixed.bytes());
        }
        if (value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Double || value instanceof Float) {
            return value;
        }
        return value.toString();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
