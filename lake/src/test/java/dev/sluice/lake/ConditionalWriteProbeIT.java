package dev.sluice.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The probe against the real S3-compatible server: it supports conditional writes, and the probe cleans up. */
@ExtendWith(EmbeddedPlatformExtension.class)
class ConditionalWriteProbeIT {

    @Test
    void passesOnAServerThatRefusesTheSecondConditionalCreateAndLeavesNothingBehind(S3Server s3) {
        ObjectKeyNamer namer = new ObjectKeyNamer("it/probe-" + UUID.randomUUID().toString().substring(0, 8));
        ConditionalWriteProbe.verify(s3.client(), S3Server.LAKE_BUCKET, namer);
        List<String> left = s3.client().listObjectsV2Paginator(b -> b.bucket(S3Server.LAKE_BUCKET)
                .prefix(namer.prefix() + "/")).contents().stream().map(o -> o.key()).toList();
        assertEquals(List.of(), left);
    }

    @Test
    void aMissingBucketIsAnS3ErrorNotAVerdictOnConditionalWrites(S3Server s3) {
        S3Exception missing = assertThrows(S3Exception.class, () -> ConditionalWriteProbe.verify(s3.client(),
                "no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8), new ObjectKeyNamer("it")));
        assertTrue(missing.statusCode() == 404, "status " + missing.statusCode());
    }
}
