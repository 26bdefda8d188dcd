package dev.sluice.app.serde;

import java.util.List;

import org.apache.avro.Schema;

/**
 * Where schema ids come from: the seam between the wire format ({@link ConfluentWireSerde}, {@link SchemaCache})
 * and the registry that hands out the ids. The application uses {@link RegistryClient}, Apicurio's content ids over
 * HTTP; anything else behind this interface (a map, for a topology without a registry process) feeds the very same
 * cache and wire serde, so records are framed and decoded exactly as in the service.
 * <p>
 * Implementations are thread-safe, and an id, once given, always names the same schema.
 */
public interface SchemaSource {

    /**
     * The writer schema of {@code id}.
     *
     * @throws UnknownSchemaIdException     the source has no such id: the record's fault
     * @throws RegistryUnavailableException the source could not answer: an outage
     */
    Schema schemaById(int id);

    /**
     * The id of {@code schema} as a version of {@code subject}, registering it unless an identical one exists.
     *
     * @throws RegistryUnavailableException the source could not answer
     */
    int register(String subject, Schema schema);

    /**
     * Every version of {@code subject}, oldest first; empty when the subject does not exist. Used to check that a
     * new writer schema can read every earlier one before it is registered (the registry enforces no rule).
     *
     * @throws RegistryUnavailableException the source could not answer
     */
    List<Schema> versions(String subject);

    /** Calls made to the source so far (what the cache did not answer itself). */
    long requests();
}
