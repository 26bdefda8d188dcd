package dev.sluice.app.silver;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The PII policy applied before customer data reaches silver ({@code sluice.pii.*}): per field one of
 * {@code hash} (keyed HMAC-SHA256, stable, joinable), {@code mask} (a hint for humans), {@code drop} (null) or
 * {@code keep}. The hash key ({@code sluice.pii.hash-key}, environment {@code SLUICE_PII_HASH_KEY}) is a secret:
 * without it hashes are plain SHA-256, which a dictionary of addresses can reverse.
 */
@ConfigurationProperties("sluice.pii")
public class PiiSettings {

    private PiiAction email = PiiAction.HASH;
    private PiiAction fullName = PiiAction.MASK;
    private String hashKey = "";

    public PiiAction getEmail() {
        return email;
    }

    public void setEmail(PiiAction email) {
        this.email = email;
    }

    public PiiAction getFullName() {
        return fullName;
    }

    public void setFullName(PiiAction fullName) {
        this.fullName = fullName;
    }

    public String getHashKey() {
        return hashKey;
    }

    public void setHashKey(String hashKey) {
        this.hashKey = hashKey == null ? "" : hashKey;
    }

    @Override
    public String toString() {
        return "PiiSettings[email=" + email + ", fullName=" + fullName + ", hashKey="
                + (hashKey.isEmpty() ? "unset" : "set") + "]";
    }
}
