package dev.sluice.lake;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the S3 client that reads and writes the lake, the same way for every component that does. */
public final class S3ClientFactory {

    private S3ClientFactory() {
    }

    /**
     * A client for {@code region}; {@code endpoint} is for S3-compatible stores (empty for AWS). With both keys it
     * signs with them, otherwise it takes the default AWS credentials chain.
     */
    public static S3Client create(String region, boolean pathStyleAccess, Optional<URI> endpoint,
                                  Optional<String> accessKeyId, Optional<String> secretAccessKey) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(region))
                .forcePathStyle(pathStyleAccess)
                .credentialsProvider(credentials(accessKeyId, secretAccessKey));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(Optional<String> accessKeyId, Optional<String> secretAccessKey) {
        if (accessKeyId.isPresent() && secretAccessKey.isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId.get(),
                    secretAccessKey.get()));
        }
        return DefaultCredentialsProvider.create();
    }
}
