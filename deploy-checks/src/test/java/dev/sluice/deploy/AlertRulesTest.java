package dev.sluice.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The Prometheus alert rules (docker/prometheus/rules.yml) match the rules streams-app evaluates itself: one alert
 * per app rule, named by its {@code rule} label, with the app's default threshold and for-duration; each has a
 * promtool unit test in rules.test.yml (run by .ci/run), a runbook section in docs/operations.md, and its metrics
 * on the Grafana dashboard.
 */
class AlertRulesTest {

    private static final Map<String, Object> RULES = Repository.yaml(Repository.path("docker/prometheus/rules.yml"));
    private static final Pattern METRIC = Pattern.compile("\\b(sluice_[a-z_]+?)(?:_bucket)?\\b");
    /** The number each alert compares with, as it appears in its expression, from the app's default threshold. */
    private static final Map<String, String> PROMQL_THRESHOLD = Map.of("consumer-lag", "> 100000",
            "dead-letter-rate", "> 10", "freshness-sla", "> 900", "slot-wal-retained", "> 1024 * 1024 * 1024");

    @Test
    void everyAppRuleHasOnePrometheusAlertWithItsDurationAndThreshold() {
        Problems problems = new Problems();
        Map<String, Object> appRules = Tree.map(Repository.yaml(Repository.path(
                "streams-app/src/main/resources/application.yml")), "sluice", "alerts", "rules");
        Map<String, Map<String, Object>> alerts = alertsByRule();
        problems.check(alerts.keySet().equals(appRules.keySet()), "docker/prometheus/rules.yml", "alerts for rules "
                + alerts.keySet() + ", the app has " + appRules.keySet());
        appRules.forEach((rule, settings) -> {
            Map<String, Object> alert = alerts.get(rule);
            if (alert == null) {
                return;
            }
            String appFor = Tree.text(settings, "for-duration");
            String promFor = Tree.text(alert, "for");
            // A rule over a window (changes(...[15m])) has its duration in the expression instead.
            boolean windowed = seconds(promFor) == 0 && Tree.text(alert, "expr").contains("[" + appFor + "]");
            problems.check(windowed || seconds(appFor) == seconds(promFor), "alert for " + rule, "for: " + promFor
                    + ", the app's for-duration is " + appFor);
            String threshold = PROMQL_THRESHOLD.get(rule);
            if (threshold != null) {
                problems.check(Tree.text(alert, "expr").contains(threshold), "alert for " + rule,
                        "does not compare with the app's threshold (" + threshold + ")");
            }
            problems.check(Repository.read(Repository.path("docs/operations.md")).contains("### " + rule),
                    "docs/operations.md", "has no runbook section '### " + rule + "'");
        });
        problems.assertNone("alert rules");
    }

    @Test
    void everyAlertHasAUnitTestAndItsMetricsAreOnTheDashboard() {
        Problems problems = new Problems();
        Map<String, Object> tests = Repository.yaml(Repository.path("docker/prometheus/rules.test.yml"));
        Set<String> tested = new TreeSet<>();
        for (Map<String, Object> test : Tree.maps(tests, "tests")) {
            for (Map<String, Object> check : Tree.maps(test, "alert_rule_test")) {
                if (!Tree.list(check, "exp_alerts").isEmpty()) {
                    tested.add(Tree.text(check, "alertname"));
                }
            }
        }
        String dashboard = Repository.read(Repository.path("k8s/base/monitoring/grafana-dashboard.json"));
        Repository.json(Repository.path("k8s/base/monitoring/grafana-dashboard.json"));
        for (Map<String, Object> alert : alertsByRule().values()) {
            String name = Tree.text(alert, "alert");
            problems.check(tested.contains(name), "rules.test.yml", "never expects " + name + " to fire");
            Matcher metric = METRIC.matcher(Tree.text(alert, "expr"));
            while (metric.find()) {
                problems.check(dashboard.contains(metric.group(1)), "grafana-dashboard.json", "does not show "
                        + metric.group(1) + " (alert " + name + ")");
            }
        }
        problems.assertNone("alert rule tests and dashboard");
    }

    static Map<String, Map<String, Object>> alertsByRule() {
        Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
        for (Map<String, Object> group : Tree.maps(RULES, "groups")) {
            for (Map<String, Object> alert : Tree.maps(group, "rules")) {
                alerts.put(Tree.text(alert, "labels", "rule"), alert);
            }
        }
        return alerts;
    }

    static List<Object> groups() {
        return Tree.list(RULES, "groups");
    }

    /** Seconds of a duration as Micronaut ("2m", "0s") or Prometheus ("10m") writes it. */
    private static long seconds(String duration) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(duration == null ? "" : duration);
        if (!m.matches()) {
            throw new IllegalArgumentException("duration '" + duration + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n / 1000;
            case "s" -> n;
            case "m" -> n * 60;
            default -> n * 3600;
        };
    }
}
