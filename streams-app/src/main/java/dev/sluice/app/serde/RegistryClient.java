package dev.sluice.app.serde;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The few calls of Apicurio Registry's own API (v2) that Sluice needs, over the JDK's HTTP client: the schema of a
 * content id, and registering a writer schema the way Apicurio's serializer and Connect converter do (artifact
 * {@code <topic>-value} in group {@code default}, type AVRO, content {@code schema.toString()}, {@code
 * ifExists=RETURN_OR_UPDATE}). The ids are <em>content ids</em>: what the Apicurio serdes and converters configured
 * with {@code apicurio.registry.use-id=contentId} and {@code as-confluent=true} write, and what the registry's
 * Confluent-compatible API calls schema ids. Content is immutable, so an id never changes its schema.
 * <p>
 * Only 404 for an id is the record's fault ({@link UnknownSchemaIdException}); anything else that is not a good
 * answer — refused, timed out, 5xx, 429, 401/403, an unparseable body — is {@link RegistryUnavailableException}.
 * Thread-safe.
 */
public final class RegistryClient implements SchemaSource {

    static final String GROUP = "default";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REFERENCE_DEPTH = 20;
    /** Versions listed per subject; a silver subject gains one per compatible source change. */
    private static final int MAX_VERSIONS = 1000;

    private final String v2;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final AtomicLong requests = new AtomicLong();

    public RegistryClient(String apiV2Url, Duration requestTimeout) {
        this.v2 = apiV2Url.endsWith("/") ? apiV2Url.substring(0, apiV2Url.length() - 1) : apiV2Url;
        URI base;
        try {
            base = URI.create(v2);
        } catch (IllegalArgumentException e) {
            base = null;
        }
        if (base == null || base.getHost() == null
                || !("http".equalsIgnoreCase(base.getScheme()) || "https".equalsIgnoreCase(base.getScheme()))) {
            // Fail at startup: on the hot path a malformed URL would look like every record's fault.
            throw new IllegalArgumentException("sluice.registry.url must be an http(s) URL of the registry, not "
                    + apiV2Url);
        }
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** HTTP requests made so far (for tests and the status of the serdes). */
    @Override
    public long requests() {
        return requests.get();
    }

    /**
     * The writer schema of content id {@code id}, with the schemas it references.
     *
     * @throws UnknownSchemaIdException    when the registry has no such content
     * @throws RegistryUnavailableException when the registry cannot answer
     */
    @Override
    public Schema schemaById(int id) {
        HttpResponse<String> content = get("/ids/contentIds/" + Integer.toUnsignedString(id));
        if (content.statusCode() == 404) {
            throw new UnknownSchemaIdException(id, "unknown schema id " + Integer.toUnsignedString(id)
                    + ": the registry has no content with this id");
        }
        requireOk(content, "schema id " + id);
        if (content.headers().firstValue("Content-Type").orElse("").startsWith("text/html")) {
            // A proxy's or a UI's page, not the registry's API: a misconfiguration, not the record's fault.
            throw new RegistryUnavailableException("the answer for schema id " + Integer.toUnsignedString(id)
                    + " is an HTML page, not the registry's API (check sluice.registry.url)", null);
        }
        Schema.Parser parser = new Schema.Parser();
        addReferences(parser, "/ids/contentIds/" + Integer.toUnsignedString(id) + "/references", new HashSet<>(), 0);
        try {
            return parser.parse(content.body());
        } catch (SchemaParseException e) {
            // The registry accepted it as Avro; a record naming it cannot be decoded.
            throw new org.apache.kafka.common.errors.SerializationException("schema id "
                    + Integer.toUnsignedString(id) + " is not a usable Avro schema: " + e.getMessage(), e);
        }
    }

    /**
     * Registers {@code schema} as a version of artifact {@code artifactId} unless an identical version exists, and
     * returns its content id.
     */
    @Override
    public int register(String artifactId, Schema schema) {
        String uri = v2 + "/groups/" + GROUP + "/artifacts?ifExists=RETURN_OR_UPDATE&canonical=false";
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("X-Registry-ArtifactId", artifactId)
                .header("X-Registry-ArtifactType", "AVRO")
                .POST(HttpRequest.BodyPublishers.ofString(schema.toString(), StandardCharsets.UTF_8)).build();
        HttpResponse<String> response = send(request);
        requireOk(response, "registering " + artifactId);
        JsonNode meta = json(response, "registering " + artifactId);
        JsonNode contentId = meta.get("contentId");
        if (contentId == null || !contentId.canConvertToLong()) {
            throw new RegistryUnavailableException("the registry's answer to registering " + artifactId
                    + " has no contentId: " + abbreviate(response.body()), null);
        }
        return (int) contentId.asLong();
    }

    /** The content of every version of artifact {@code artifactId}, oldest first; empty if there is none. */
    @Override
    public List<Schema> versions(String artifactId) {
        String artifact = "/groups/" + GROUP + "/artifacts/" + encode(artifactId) + "/versions";
        HttpResponse<String> listing = get(artifact + "?limit=" + MAX_VERSIONS + "&offset=0");
        if (listing.statusCode() == 404) {
            return List.of();
        }
        requireOk(listing, "versions of " + artifactId);
        JsonNode found = json(listing, "versions of " + artifactId).get("versions");
        List<String> numbers = new ArrayList<>();
        if (found != null) {
            for (JsonNode version : found) {
                numbers.add(text(version, "version", null));
            }
        }
        List<Schema> schemas = new ArrayList<>();
        for (String number : numbers) {
            if (number == null) {
                continue;
            }
            HttpResponse<String> content = get(artifact + "/" + encode(number));
            requireOk(content, "version " + number + " of " + artifactId);
            try {
                schemas.add(new Schema.Parser().parse(content.body()));
            } catch (SchemaParseException e) {
                throw new RegistryUnavailableException("version " + number + " of " + artifactId
                        + " is not a usable Avro schema: " + e.getMessage(), e);
            }
        }
        return schemas;
    }

    private void addReferences(Schema.Parser parser, String referencesPath, Set<String> seen, int depth) {
        if (depth > MAX_REFERENCE_DEPTH) {
            throw new org.apache.kafka.common.errors.SerializationException("schema references nested deeper than "
                    + MAX_REFERENCE_DEPTH);
        }
        HttpResponse<String> response = get(referencesPath);
        if (response.statusCode() == 404) {
            return;
        }
        requireOk(response, "references " + referencesPath);
        JsonNode references = json(response, "references " + referencesPath);
        List<String> artifacts = new ArrayList<>();
        for (JsonNode reference : references) {
            String group = text(reference, "groupId", GROUP);
            String artifact = text(reference, "artifactId", null);
            String version = text(reference, "version", "latest");
            if (artifact != null) {
                artifacts.add("/groups/" + encode(group) + "/artifacts/" + encode(artifact) + "/versions/"
                        + encode(version));
            }
        }
        for (String path : artifacts) {
            if (!seen.add(path)) {
                continue;
            }
            addReferences(parser, path + "/references", seen, depth + 1);
            HttpResponse<String> content = get(path);
            requireOk(content, "referenced schema " + path);
            parser.parse(content.body());
        }
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(v2 + path)).timeout(requestTimeout)
                .header("Accept", "application/json").GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        requests.incrementAndGet();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RegistryUnavailableException("schema registry unreachable at " + v2 + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while calling the schema registry", e);
        }
    }

    private void requireOk(HttpResponse<String> response, String what) {
        if (response.statusCode() != 200) {
            throw new RegistryUnavailableException("schema registry answered " + response.statusCode() + " for "
                    + what + ": " + abbreviate(response.body()), null);
        }
    }

    private static JsonNode json(HttpResponse<String> response, String what) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RegistryUnavailableException("the registry's answer for " + what + " is not JSON: "
                    + abbreviate(response.body()), e);
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }
}
