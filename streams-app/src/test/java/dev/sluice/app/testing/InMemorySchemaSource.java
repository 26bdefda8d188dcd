package dev.sluice.app.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.Schema;

import dev.sluice.app.serde.SchemaSource;
import dev.sluice.app.serde.UnknownSchemaIdException;

/**
 * Schema ids from a map instead of a registry process, for topology tests and the broker-free bench harness. Ids
 * behave as Apicurio's content ids: one per distinct schema text whatever the subject, numbered from 1, never
 * reused; a subject's versions are the distinct schemas registered under it, in order; an id it never gave is
 * unknown ({@link UnknownSchemaIdException}, the registry's 404). A schema comes back
 * parsed from the text it was registered as, as the registry returns it. Share one instance between whatever writes
 * records and the topology that reads them.
 */
public final class InMemorySchemaSource implements SchemaSource {

    private final Map<String, Integer> idsByContent = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final AtomicLong requests = new AtomicLong();

    @Override
    public synchronized Schema schemaById(int id) {
        requests.incrementAndGet();
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new UnknownSchemaIdException(id, "unknown schema id " + Integer.toUnsignedString(id)
                    + ": no schema was registered with this id");
        }
        return schema;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        requests.incrementAndGet();
        String content = schema.toString();
        int id = idsByContent.computeIfAbsent(content, text -> {
            int next = idsByContent.size() + 1;
            schemasById.put(next, new Schema.Parser().parse(text));
            return next;
        });
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public synchronized List<Schema> versions(String subject) {
        requests.incrementAndGet();
        return versionsBySubject.getOrDefault(subject, List.of()).stream().map(schemasById::get).toList();
    }

    @Override
    public long requests() {
        return requests.get();
    }
}
