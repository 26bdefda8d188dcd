package dev.sluice.lake.retention;

import java.time.Instant;

/**
 * An incomplete multipart upload.
 *
 * @param key       the object it would create
 * @param uploadId  its id
 * @param initiated when it was started
 */
public record StaleUpload(String key, String uploadId, Instant initiated) {
}
