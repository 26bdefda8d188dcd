package dev.sluice.app.alerts;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * Publishes each notification to an SNS topic with the AWS SDK v2's {@link SnsClient}: the message is the
 * notification's line, the subject {@code Sluice alert: <rule> <state>}. The endpoint override serves SNS-compatible
 * servers and tests.
 */
public class SnsChannel implements AlertChannel, AutoCloseable {

    /** SNS limits a subject to 100 characters. */
    private static final int SUBJECT_MAX = 100;

    private final String topicArn;
    private final SnsClient sns;

    /**
     * @param endpoint the SNS endpoint; null for the region's
     * @param timeout  how long one Publish may take, retries included
     */
    public SnsChannel(String topicArn, String region, URI endpoint, AwsCredentialsProvider credentials,
            Duration timeout) {
        this.topicArn = topicArn;
        SnsClientBuilder builder = SnsClient.builder().region(Region.of(region)).credentialsProvider(credentials)
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(timeout).build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        this.sns = builder.build();
    }

    @Override
    public String name() {
        return "sns";
    }

    @Override
    public void send(Notification notification) throws IOException {
        String subject = "Sluice alert: " + notification.alert().rule() + " " + notification.alert().state();
        try {
            sns.publish(r -> r.topicArn(topicArn)
                    .subject(subject.length() > SUBJECT_MAX ? subject.substring(0, SUBJECT_MAX) : subject)
                    .message(NotificationText.line(notification)));
        } catch (SnsException e) {
            // The error code, never the whole answer.
            throw new IOException("SNS Publish to " + topicArn + " answered " + e.statusCode() + ": "
                    + (e.awsErrorDetails() == null ? "no error code" : e.awsErrorDetails().errorCode()));
        } catch (SdkClientException e) {
            throw new IOException("SNS Publish to " + topicArn + " failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        sns.close();
    }
}
