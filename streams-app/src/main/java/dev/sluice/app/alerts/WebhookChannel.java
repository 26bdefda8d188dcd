package dev.sluice.app.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * POSTs each notification as JSON to a URL. Format {@code json}: {@code {"status":"firing"|"resolved",
 * "instance", "alert":{rule, labels, state, summary, since, firedAt, resolvedAt}}}; format {@code slack}:
 * {@code {"text": "..."}}, what a Slack incoming webhook (and Mattermost, Teams' Slack-compatible hooks) accepts.
 */
public class WebhookChannel implements AlertChannel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final boolean slack;
    private final Duration timeout;
    private final HttpClient http;

    public WebhookChannel(URI url, String format, Duration timeout) {
        this.url = url;
        this.slack = "slack".equals(format);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void send(Notification notification) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body(notification)))).build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            // The URL may carry a secret (Slack's hook path): name the host only.
            throw new IOException("webhook at " + url.getHost() + " answered " + response.statusCode());
        }
    }

    Map<String, Object> body(Notification notification) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (slack) {
            body.put("text", NotificationText.line(notification));
            return body;
        }
        body.put("status", notification.firing() ? "firing" : "resolved");
        body.put("instance", notification.instance());
        AlertView alert = notification.alert();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("rule", alert.rule());
        fields.put("labels", alert.labels());
        fields.put("state", alert.state().name());
        fields.put("summary", alert.summary());
        fields.put("since", alert.since());
        fields.put("firedAt", alert.firedAt());
        fields.put("resolvedAt", alert.resolvedAt());
        body.put("alert", fields);
        return body;
    }
}
