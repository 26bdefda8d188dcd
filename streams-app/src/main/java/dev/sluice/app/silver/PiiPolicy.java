package dev.sluice.app.silver;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Applies {@link PiiSettings} to personal fields. Thread-safe. */
public final class PiiPolicy {

    /** The personal fields of bronze records, by name: silver's mapping and the dead-letter browser protect them. */
    public static final String EMAIL = "email";
    public static final String FULL_NAME = "full_name";

    private static final String HMAC = "HmacSHA256";

    private final PiiSettings settings;
    private final SecretKeySpec key;

    public PiiPolicy(PiiSettings settings) {
        this.settings = settings;
        this.key = settings.getHashKey().isEmpty() ? null
                : new SecretKeySpec(settings.getHashKey().getBytes(StandardCharsets.UTF_8), HMAC);
    }

    /** Whether hashes are keyed; unkeyed hashes are reversible by guessing, so the app warns at startup. */
    public boolean keyed() {
        return key != null;
    }

    /** Whether the policy applies to a field of this name. */
    public static boolean isPersonal(String field) {
        return EMAIL.equals(field) || FULL_NAME.equals(field);
    }

    /** The value of a {@link #isPersonal(String) personal} field as the policy leaves it; others unchanged. */
    public String protect(String field, String value) {
        return switch (field) {
            case EMAIL -> email(value);
            case FULL_NAME -> fullName(value);
            default -> value;
        };
    }

    /**
     * {@code value} of any personal field as {@code action} leaves it (dataset specifications name the action per
     * field): trimmed; a value that looks like an e-mail address (an {@code @} after its first character) is
     * lower-cased and masked as an address, as {@link #email} does, any other value as {@link #fullName} does.
     */
    public String protect(PiiAction action, String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        boolean isEmail = trimmed.lastIndexOf('@') > 0;
        return apply(action, isEmail ? trimmed.toLowerCase(Locale.ROOT) : trimmed, isEmail);
    }

    public String email(String email) {
        return apply(settings.getEmail(), email == null ? null : email.trim().toLowerCase(Locale.ROOT), true);
    }

    public String fullName(String name) {
        return apply(settings.getFullName(), name == null ? null : name.trim(), false);
    }

    private String apply(PiiAction action, String value, boolean isEmail) {
        if (value == null) {
            return null;
        }
        return switch (action) {
            case KEEP -> value;
            case DROP -> null;
            case HASH -> hash(value);
            case MASK -> isEmail ? maskEmail(value) : maskWords(value);
        };
    }

    String hash(String value) {
        byte[] input = value.getBytes(StandardCharsets.UTF_8);
        try {
            if (key == null) {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input));
            }
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(input));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String maskEmail(String email) {
        int at = email.lastIndexOf('@');
        if (at <= 0) {
            return maskWords(email);
        }
        return firstChar(email) + "***" + email.substring(at);
    }

    private static String maskWords(String text) {
        StringBuilder out = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(firstChar(word)).append("***");
        }
        return out.toString();
    }

    private static String firstChar(String text) {
        return new String(Character.toChars(text.codePointAt(0)));
    }
}
