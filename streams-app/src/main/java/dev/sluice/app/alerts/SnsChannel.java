package dev.sluice.app.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Publishes each notification to an SNS topic: the SNS {@code Publish} action of the AWS Query protocol
 * (API version 2010-03-31), signed with the AWS SDK v2's SigV4 signer and credentials provider, sent with the
 * JDK's HTTP client. Not the SDK's {@code SnsClient}: the {@code software.amazon.awssdk:sns} artifact is not
 * available to this build (only the SDK's S3 client and its core are), so the request SnsClient would send is
 * built here; the message is the notification's line, the subject {@code Sluice alert: <rule> <state>}.
 */
public class SnsChannel implements AlertChannel {

    private static final String API_VERSION = "2010-03-31";
    /** SNS limits a subject to 100 characters. */
    private static final int SUBJECT_MAX = 100;

    private final String topicArn;
    private final String region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final Duration timeout;
    private final HttpClient http;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * @param endpoint the SNS endpoint; null for the region's, {@code https://sns.<region>.amazonaws.com}
     */
    public SnsChannel(String topicArn, String region, URI endpoint, AwsCredentialsProvider credentials,
            Duration timeout) {
        this.topicArn = topicArn;
        this.region = region;
        this.endpoint = endpoint != null ? endpoint : URI.create("https://sns." + region + ".amazonaws.com/");
        this.credentials = credentials;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return "sns";
    }

    @Override
    public void send(Notification notification) throws IOException, InterruptedException {
        String subject = "Sluice alert: " + notification.alert().rule() + " " + notification.alert().state();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", "Publish");
        form.put("Version", API_VERSION);
        form.put("TopicArn", topicArn);
        form.put("Subject", subject.length() > SUBJECT_MAX ? subject.substring(0, SUBJECT_MAX) : subject);
        form.put("Message", NotificationText.line(notification));
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials()).request(unsigned)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sns")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        signed.request().headers().forEach((name, values) -> {
            // The JDK's client sets Host itself and refuses it as a header; the signature covers the same value.
            if (!"host".equalsIgnoreCase(name)) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("SNS Publish to " + topicArn + " answered " + response.statusCode() + ": "
                    + errorCode(response.body()));
        }
    }

    /** The {@code <Code>} of an SNS error answer, never the whole body. */
    private static String errorCode(String body) {
        int start = body.indexOf("<Code>");
        int end = body.indexOf("</Code>");
        return start >= 0 && end > start ? body.substring(start + 6, end) : "no error code";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
