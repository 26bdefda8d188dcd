package dev.sluice.app.connect;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sluice.connect.template.ConnectorTemplate;
import dev.sluice.connect.template.ConnectorTemplates;
import jakarta.inject.Singleton;

/**
 * Decides which connector settings are secrets and hides them. A setting is secret when a shipped template marks
 * its parameter secret, or when its name has a part containing password, secret, token, credential or jaas, or a
 * part ending in "key" other than a leading "key" ({@code aws.access.key.id}, {@code api.key}, {@code apikey}; not
 * {@code key.converter}, {@code key.columns} or {@code message.key.columns}, where a structural word follows). A secret whose value consists only of config-provider references ({@code ${file:...}},
 * {@code ${env:...}}) is shown: the reference names where the secret is, not the secret.
 *
 * <p>Free text (Connect's messages, task traces) is scrubbed of the literal secret values of the configuration it
 * concerns, and of passwords embedded in URLs.
 */
@Singleton
public class SecretMasker {

    /** What a masked value is replaced with. */
    public static final String MASK = "********";

    private static final Pattern NAME_PARTS = Pattern.compile("[._\\-]");
    private static final List<String> SECRET_WORDS = List.of("password", "passwd", "secret", "token", "credential",
            "jaas");
    /** Words that, after a "key" part, make the setting about record keys, not a secret key. */
    private static final Set<String> KEY_STRUCTURE = Set.of("columns", "column", "field", "fields", "converter",
            "serializer", "deserializer", "format", "schema", "mapper", "ignore", "names");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{[^}]*}");
    private static final Pattern URL_USER_INFO = Pattern.compile("(://[^/:@\\s]+:)([^@/\\s]+)(@)");
    private static final Pattern URL_PASSWORD_PARAMETER = Pattern.compile(
            "(?i)([?&;](?:password|pwd|secret|token)=)([^&;\\s\"']*)");
    /** Shorter literal values are not scrubbed from text: they would mangle ordinary words. */
    private static final int MIN_SCRUBBED_LENGTH = 4;

    private final Set<String> templateSecretKeys = new HashSet<>();

    public SecretMasker(ConnectorTemplates templates) {
        for (ConnectorTemplate template : templates.all()) {
            templateSecretKeys.addAll(template.secretConfigKeys());
        }
    }

    /** Whether the setting {@code key} holds a secret. */
    public boolean isSecretKey(String key) {
        if (templateSecretKeys.contains(key)) {
            return true;
        }
        String[] parts = NAME_PARTS.split(key.toLowerCase(Locale.ROOT));
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean keyPart = part.endsWith("key") && (i > 0 || !part.equals("key"))
                    && !(i + 1 < parts.length && KEY_STRUCTURE.contains(parts[i + 1]));
            if (keyPart || SECRET_WORDS.stream().anyMatch(part::contains)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code value} consists only of config-provider references, so showing it reveals no secret. */
    public static boolean isReference(String value) {
        return value != null && !value.isBlank() && REFERENCE.matcher(value).replaceAll("").isBlank();
    }

    /** A copy of {@code config} with secret values masked and passwords in URLs hidden. */
    public Map<String, String> mask(Map<String, String> config) {
        Map<String, String> masked = new LinkedHashMap<>();
        config.forEach((key, value) -> masked.put(key, maskValue(key, value)));
        return masked;
    }

    /** The value of {@code key} as it may be shown. */
    public String maskValue(String key, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (isSecretKey(key) && !isReference(value)) {
            return MASK;
        }
        return hideUrlPasswords(value);
    }

    /** The literal secret values of {@code config}: what must never appear in text shown or logged. */
    public Set<String> literalSecrets(Map<String, String> config) {
        Set<String> secrets = new HashSet<>();
        config.forEach((key, value) -> {
            if (value != null && isSecretKey(key) && !isReference(value) && !MASK.equals(value)) {
                secrets.add(value);
            }
        });
        return secrets;
    }

    /** {@code text} without any of {@code secrets} and without passwords embedded in URLs. */
    public String scrub(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String scrubbed = text;
        List<String> longestFirst = secrets.stream().filter(s -> s.length() >= MIN_SCRUBBED_LENGTH)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String secret : longestFirst) {
            scrubbed = scrubbed.replace(secret, MASK);
        }
        return hideUrlPasswords(scrubbed);
    }

    private static String hideUrlPasswords(String value) {
        String hidden = URL_USER_INFO.matcher(value).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK
                + m.group(3)));
        return URL_PASSWORD_PARAMETER.matcher(hidden).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }
}
