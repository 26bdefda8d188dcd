package dev.sluice.app.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * SnsChannel against a local HTTP endpoint that records the request and answers as SNS does. There is no SNS server
 * on this machine (nor any AWS endpoint reachable), so this proves the request: the Publish action of the Query
 * protocol with the topic ARN and the message, signed SigV4 for service sns in the configured region with the
 * configured credentials (the signature itself is the SDK signer's, not verified by a server here).
 */
class SnsChannelTest {

    private static final String ARN = "arn:aws:sns:eu-west-1:123456789012:sluice-alerts";
    private static final AlertView FIRING = new AlertView("slot-wal-retained", Map.of("connector", "pg",
            "slot", "sluice_pg"), AlertState.FIRING, "slot sluice_pg retains 2048 MB of WAL (threshold 1024 MB)",
            "2026-01-01T00:00:00Z", "2026-01-01T00:10:00Z", null);

    @Test
    void publishesTheNotificationToTheTopicSigned() throws Exception {
        String answer = "<PublishResponse xmlns=\"https://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                + "<MessageId>1</MessageId></PublishResult></PublishResponse>";
        try (RecordingHttpServer sns = new RecordingHttpServer(200, "text/xml", answer)) {
            try (SnsChannel channel = new SnsChannel(ARN, "eu-west-1", sns.uri("/"), StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIDEXAMPLE", "not-a-real-secret")), Duration.ofSeconds(5))) {
                channel.send(new Notification(FIRING, "app-0"));
            }

            RecordingHttpServer.Received request = sns.received().get(0);
            assertEquals("POST", request.method());
            Map<String, String> form = form(request.body());
            assertEquals("Publish", form.get("Action"), "the SDK's SnsClient speaks SNS's query protocol");
            assertEquals("2010-03-31", form.get("Version"));
            assertEquals(ARN, form.get("TopicArn"));
            assertEquals("Sluice alert: slot-wal-retained FIRING", form.get("Subject"));
            assertEquals("[FIRING] slot-wal-retained {connector=pg, slot=sluice_pg}: slot sluice_pg retains 2048 MB "
                    + "of WAL (threshold 1024 MB) (instance app-0)", form.get("Message"));
            String authorization = request.headers().get("Authorization").get(0);
            assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), authorization);
            assertTrue(authorization.contains("/eu-west-1/sns/aws4_request"), authorization);
            assertTrue(!authorization.contains("not-a-real-secret"));
            assertTrue(request.headers().containsKey("X-amz-date"));
        }
    }

    @Test
    void anSnsErrorNamesItsCode() throws Exception {
        String error = "<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist"
                + "</Message></Error></ErrorResponse>";
        try (RecordingHttpServer sns = new RecordingHttpServer(404, "text/xml", error)) {
            try (SnsChannel channel = new SnsChannel(ARN, "eu-west-1", sns.uri("/"), StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIDEXAMPLE", "x")), Duration.ofSeconds(5))) {
                IOException e = assertThrows(IOException.class, () -> channel.send(new Notification(FIRING, "app-0")));
                assertEquals("SNS Publish to " + ARN + " answered 404: NotFound", e.getMessage());
            }
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }
}
