package dev.sluice.app.alerts;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings of the alert evaluator, {@code sluice.alerts.*}: {@code enabled}, {@code interval} between evaluations,
 * {@code recent} transitions kept for {@code GET /api/alerts}, {@code instance} (named in notifications; the host
 * name by default), and per channel {@code rate-limit} notifications per {@code rate-window}. The channels:
 * {@code webhook.*} and {@code sns.*}; each is on when its URL or topic ARN is set.
 */
@ConfigurationProperties("sluice.alerts")
public class AlertSettings {

    private boolean enabled = true;
    private Duration interval = Duration.ofSeconds(30);
    private int recent = 50;
    private String instance = "";
    private int rateLimit = 20;
    private Duration rateWindow = Duration.ofMinutes(10);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getInterval() {
        return interval;
    }

    public void setInterval(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("sluice.alerts.interval: must be positive");
        }
        this.interval = interval;
    }

    public int getRecent() {
        return recent;
    }

    public void setRecent(int recent) {
        if (recent < 0) {
            throw new IllegalArgumentException("sluice.alerts.recent: must be zero or positive");
        }
        this.recent = recent;
    }

    public String getInstance() {
        return instance;
    }

    public void setInstance(String instance) {
        this.instance = instance == null ? "" : instance;
    }

    public int getRateLimit() {
        return rateLimit;
    }

    public void setRateLimit(int rateLimit) {
        if (rateLimit < 1) {
            throw new IllegalArgumentException("sluice.alerts.rate-limit: must be at least 1");
        }
        this.rateLimit = rateLimit;
    }

    public Duration getRateWindow() {
        return rateWindow;
    }

    public void setRateWindow(Duration rateWindow) {
        if (rateWindow == null || rateWindow.isNegative() || rateWindow.isZero()) {
            throw new IllegalArgumentException("sluice.alerts.rate-window: must be positive");
        }
        this.rateWindow = rateWindow;
    }

    /** {@code sluice.alerts.webhook.*}: {@code url} (empty: off), {@code format} json or slack, {@code timeout}. */
    @ConfigurationProperties("webhook")
    public static class Webhook {
        private String url = "";
        private String format = "json";
        private Duration timeout = Duration.ofSeconds(10);

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url == null ? "" : url.trim();
        }

        public String getFormat() {
            return format;
        }

        public void setFormat(String format) {
            if (!"json".equals(format) && !"slack".equals(format)) {
                throw new IllegalArgumentException("sluice.alerts.webhook.format: json or slack, not '" + format
                        + "'");
            }
            this.format = format;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /**
     * {@code sluice.alerts.sns.*}: {@code topic-arn} (empty: off), {@code region}, {@code endpoint} (empty: the
     * region's SNS endpoint), {@code access-key}/{@code secret-key} (empty: the default AWS credentials chain).
     */
    @ConfigurationProperties("sns")
    public static class Sns {
        private String topicArn = "";
        private String region = "";
        private String endpoint = "";
        private String accessKey = "";
        private String secretKey = "";
        private Duration timeout = Duration.ofSeconds(10);

        public String getTopicArn() {
            return topicArn;
        }

        public void setTopicArn(String topicArn) {
            this.topicArn = topicArn == null ? "" : topicArn.trim();
        }

        public String getRegion() {
            return region;
        }

        public void setRegion(String region) {
            this.region = region == null ? "" : region.trim();
        }

        public String getEndpoint() {
            return endpoint;
        }

        public void setEndpoint(String endpoint) {
            this.endpoint = endpoint == null ? "" : endpoint.trim();
        }

        public String getAccessKey() {
            return accessKey;
        }

        public void setAccessKey(String accessKey) {
            this.accessKey = accessKey == null ? "" : accessKey;
        }

        public String getSecretKey() {
            return secretKey;
        }

        public void setSecretKey(String secretKey) {
            this.secretKey = secretKey == null ? "" : secretKey;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }
}
