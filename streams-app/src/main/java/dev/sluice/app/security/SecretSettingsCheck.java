package dev.sluice.app.security;

import dev.sluice.app.silver.PiiSettings;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses to start with a secret that only looks like one: the API tokens and the PII hash key, when set, must not be
 * short, a placeholder copied from an example file ({@code change-me-api-token}) or an unresolved reference. Such a
 * value protects nothing while the deployment believes it is protected. The message names the setting and what is
 * wrong, never the value.
 */
@Context
public class SecretSettingsCheck {

    /** A generated secret is longer (the embedded platform's are 36 hex characters; {@code openssl rand -hex 24}). */
    static final int MIN_LENGTH = 24;
    private static final List<String> PLACEHOLDERS = List.of("change-me", "changeme", "change_me", "replace-me",
            "replaceme", "replace_me", "example", "placeholder", "your-", "xxxx");

    public SecretSettingsCheck(ApiAccessConfiguration api, PiiSettings pii) {
        check("sluice.api.token (SLUICE_API_TOKEN)", api.getToken());
        check("sluice.api.read-token (SLUICE_API_READ_TOKEN)", api.getReadToken());
        check("sluice.pii.hash-key (SLUICE_PII_HASH_KEY)", pii.getHashKey());
    }

    private static void check(String setting, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        weakness(value).ifPresent(why -> {
            throw new ConfigurationException(setting + " is rejected: it is " + why + ". Generate a secret, e.g. "
                    + "`openssl rand -hex 24`, and give it through the environment or a secret store");
        });
    }

    /** Why {@code value} is not a secret, if it is not one. */
    static Optional<String> weakness(String value) {
        String secret = value.strip();
        if (secret.startsWith("${") || secret.startsWith("<")) {
            return Optional.of("an unresolved placeholder");
        }
        String lower = secret.toLowerCase(Locale.ROOT);
        for (String marker : PLACEHOLDERS) {
            if (lower.contains(marker)) {
                return Optional.of("a placeholder (it contains '" + marker + "')");
            }
        }
        if (secret.length() < MIN_LENGTH) {
            return Optional.of("shorter than " + MIN_LENGTH + " characters");
        }
        if (secret.chars().distinct().count() < 8) {
            return Optional.of("made of fewer than 8 distinct characters");
        }
        return Optional.empty();
    }
}
