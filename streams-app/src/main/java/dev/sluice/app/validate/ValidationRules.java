package dev.sluice.app.validate;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The declarative validation rules of every entity, read from configuration ({@code sluice.validation}). Keys, flat
 * and relative to {@code sluice.validation}:
 *
 * <pre>
 * &lt;entity&gt;.max-record-bytes           largest accepted value size in bytes
 * &lt;entity&gt;.accept-tombstones          true: a null value is a delete; false (default): invalid
 * &lt;entity&gt;.dedupe.key                 list of fields identifying an event or change
 * &lt;entity&gt;.dedupe.window              how long an identity is remembered, e.g. 24h
 * &lt;entity&gt;.fields.&lt;field&gt;.required     true/false
 * &lt;entity&gt;.fields.&lt;field&gt;.type         string, int, long, double, decimal, boolean, timestamp
 * &lt;entity&gt;.fields.&lt;field&gt;.min / max    inclusive numeric bounds
 * &lt;entity&gt;.fields.&lt;field&gt;.min-length / max-length
 * &lt;entity&gt;.fields.&lt;field&gt;.pattern      regular expression the whole value must match
 * &lt;entity&gt;.fields.&lt;field&gt;.allowed      list of allowed values
 * &lt;entity&gt;.fields.&lt;field&gt;.max-future   a timestamp may be at most this far in the future, e.g. 5m
 * &lt;entity&gt;.fields.&lt;field&gt;.not-before   a timestamp may not be earlier, ISO-8601
 * &lt;entity&gt;.fields.&lt;field&gt;.matches-key  true: the value must equal the record key (or its field of that name)
 * </pre>
 *
 * Anything else is rejected at startup with the offending key, so a typo never disables a rule silently.
 */
public final class ValidationRules {

    private static final Set<String> ENTITY_KEYS = Set.of("max-record-bytes", "accept-tombstones", "dedupe.key",
            "dedupe.window");
    private static final Set<String> FIELD_KEYS = Set.of("required", "type", "min", "max", "min-length",
            "max-length", "pattern", "allowed", "max-future", "not-before", "matches-key");

    private final Map<String, EntityRules> entities;

    private ValidationRules(Map<String, EntityRules> entities) {
        this.entities = Map.copyOf(entities);
    }

    /**
     * Parses the flat configuration map ({@code customers.fields.email.pattern -> ...}), as Micronaut gives it with
     * the RAW naming convention.
     */
    public static ValidationRules parse(Map<String, Object> flat) {
        Map<String, Map<String, Object>> byEntity = new TreeMap<>();
        for (Map.Entry<String, Object> entry : flat.entrySet()) {
            String key = entry.getKey();
            if (key.matches(".*\\[\\d+]$")) {
                continue;
            }
            int dot = key.indexOf('.');
            if (dot <= 0) {
                throw new InvalidRulesException(key, "expected <entity>.<setting>");
            }
            byEntity.computeIfAbsent(key.substring(0, dot), e -> new TreeMap<>()).put(key.substring(dot + 1),
                    entry.getValue());
        }
        Map<String, EntityRules> entities = new LinkedHashMap<>();
        byEntity.forEach((entity, settings) -> entities.put(entity, entity(entity, settings)));
        return new ValidationRules(entities);
    }

    /** The rules of {@code entity}. @throws IllegalStateException when none are configured */
    public EntityRules of(String entity) {
        EntityRules rules = entities.get(entity);
        if (rules == null) {
            throw new IllegalStateException("no validation rules configured for entity '" + entity
                    + "' (sluice.validation." + entity + ")");
        }
        return rules;
    }

    public Collection<EntityRules> all() {
        return entities.values();
    }

    /**
     * Parses the rules of one entity from its settings, keyed relative to {@code sluice.validation.<entity>}
     * ({@code fields.email.pattern -> ...}); dataset specifications use this for their validation section.
     *
     * @throws InvalidRulesException whose {@link InvalidRulesException#key() key} is {@code <entity>.<setting>}
     */
    public static EntityRules entity(String entity, Map<String, Object> settings) {
        Map<String, Map<String, Object>> fields = new LinkedHashMap<>();
        int maxBytes = 0;
        boolean tombstones = false;
        List<String> dedupeKey = List.of();
        Duration dedupeWindow = Duration.ZERO;
        for (Map.Entry<String, Object> s : settings.entrySet()) {
            String key = entity + "." + s.getKey();
            if (s.getKey().startsWith("fields.")) {
                String rest = s.getKey().substring("fields.".length());
                int dot = rest.lastIndexOf('.');
                if (dot <= 0) {
                    throw new InvalidRulesException(key, "expected fields.<field>.<check>");
                }
                fields.computeIfAbsent(rest.substring(0, dot), f -> new LinkedHashMap<>())
                        .put(rest.substring(dot + 1), s.getValue());
                continue;
            }
            if (!ENTITY_KEYS.contains(s.getKey())) {
                throw new InvalidRulesException(key, "unknown setting; known: " + ENTITY_KEYS + " and fields.*");
            }
            switch (s.getKey()) {
                case "max-record-bytes" -> maxBytes = integer(s.getValue(), key);
                case "accept-tombstones" -> tombstones = bool(s.getValue(), key);
                case "dedupe.key" -> dedupeKey = List.copyOf(strings(s.getValue()));
                default -> dedupeWindow = duration(s.getValue(), key);
            }
        }
        if (!dedupeKey.isEmpty() && dedupeWindow.isZero()) {
            throw new InvalidRulesException(entity + ".dedupe.window", "required when dedupe.key is set");
        }
        List<FieldRule> rules = new ArrayList<>();
        fields.forEach((field, checks) -> rules.add(field(entity, field, checks)));
        return new EntityRules(entity, maxBytes, tombstones, List.copyOf(rules), dedupeKey, dedupeWindow);
    }

    private static FieldRule field(String entity, String field, Map<String, Object> checks) {
        String prefix = entity + ".fields." + field + ".";
        for (String check : checks.keySet()) {
            if (!FIELD_KEYS.contains(check)) {
                throw new InvalidRulesException(prefix + check, "unknown check; known: " + FIELD_KEYS);
            }
        }
        Object pattern = checks.get("pattern");
        Pattern compiled = null;
        if (pattern != null) {
            try {
                compiled = Pattern.compile(pattern.toString());
            } catch (PatternSyntaxException e) {
                throw new InvalidRulesException(prefix + "pattern", "invalid regular expression: "
                        + e.getDescription());
            }
        }
        Object notBefore = checks.get("not-before");
        Instant notBeforeInstant = null;
        if (notBefore != null) {
            try {
                notBeforeInstant = Instant.parse(notBefore.toString());
            } catch (DateTimeParseException e) {
                throw new InvalidRulesException(prefix + "not-before", "not an ISO-8601 instant: " + notBefore);
            }
        }
        Object allowed = checks.get("allowed");
        return new FieldRule(field,
                checks.containsKey("required") && bool(checks.get("required"), prefix + "required"),
                checks.containsKey("type") ? FieldType.parse(checks.get("type").toString(), prefix + "type") : null,
                decimal(checks.get("min"), prefix + "min"),
                decimal(checks.get("max"), prefix + "max"),
                checks.containsKey("min-length") ? integer(checks.get("min-length"), prefix + "min-length") : null,
                checks.containsKey("max-length") ? integer(checks.get("max-length"), prefix + "max-length") : null,
                compiled,
                allowed == null ? null : Set.copyOf(new LinkedHashSet<>(strings(allowed))),
                checks.containsKey("max-future") ? duration(checks.get("max-future"), prefix + "max-future") : null,
                notBeforeInstant,
                checks.containsKey("matches-key") && bool(checks.get("matches-key"), prefix + "matches-key"));
    }

    private static List<String> strings(Object value) {
        if (value instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        String text = value.toString().trim();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        return text.isBlank() ? List.of() : List.of(text.split("\\s*,\\s*"));
    }

    private static int integer(Object value, String key) {
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new InvalidRulesException(key, "not an integer: " + value);
        }
    }

    private static BigDecimal decimal(Object value, String key) {
        if (value == null) {
            return null;
        }
        try {
            return new BigDecimal(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new InvalidRulesException(key, "not a number: " + value);
        }
    }

    private static boolean bool(Object value, String key) {
        String text = value.toString().trim();
        if (!text.equals("true") && !text.equals("false")) {
            throw new InvalidRulesException(key, "expected true or false, got " + value);
        }
        return Boolean.parseBoolean(text);
    }

    private static Duration duration(Object value, String key) {
        try {
            return Durations.parse(value.toString(), key);
        } catch (IllegalArgumentException e) {
            throw new InvalidRulesException(key, e.getMessage());
        }
    }
}
