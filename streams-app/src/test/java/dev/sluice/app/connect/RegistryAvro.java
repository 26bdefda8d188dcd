package dev.sluice.app.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes values in the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary) with the writer schema
 * fetched from the registry's Confluent-compatible API.
 */
final class RegistryAvro {

    private final String ccompatUrl;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<Integer, Schema> schemas = new HashMap<>();

    RegistryAvro(String ccompatUrl) {
        this.ccompatUrl = ccompatUrl;
    }

    GenericRecord decode(byte[] framed) {
        ByteBuffer buffer = ByteBuffer.wrap(framed);
        if (buffer.get() != 0) {
            throw new IllegalArgumentException("not in the Confluent wire format");
        }
        Schema schema = schemas.computeIfAbsent(buffer.getInt(), this::fetch);
        try {
            return new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get()
                    .binaryDecoder(framed, 5, framed.length - 5, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Schema fetch(int id) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ccompatUrl + "/schemas/ids/"
                    + id)).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("schema " + id + ": " + response.statusCode() + " " + response.body());
            }
            return new Schema.Parser().parse(ApiClient.JSON.readTree(response.body()).path("schema").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
