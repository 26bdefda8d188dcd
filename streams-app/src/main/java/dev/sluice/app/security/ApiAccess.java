package dev.sluice.app.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;

/**
 * Decides whether a request's bearer token grants what it asks for: the API token grants everything, the read
 * token reads only. Checked at start: without a token the service refuses to start unless it is explicitly run open
 * ({@code sluice.api.open}), so a deployment that forgot its token is not silently unprotected; a token always wins
 * over the open flag. Tokens are kept and
 * compared as SHA-256 digests in constant time, so neither content nor length leaks through timing; they are never
 * logged.
 */
@Context
public class ApiAccess {

    private static final Logger LOG = LoggerFactory.getLogger(ApiAccess.class);

    /** What a request asks for. */
    public enum Need { READ, WRITE }

    /** The outcome for a request. */
    public enum Verdict { GRANTED, MISSING, WRONG }

    private final byte[] writeDigest;
    private final byte[] readDigest;

    public ApiAccess(ApiAccessConfiguration configuration) {
        String token = configuration.getToken().strip();
        String readToken = configuration.getReadToken().strip();
        if (token.isEmpty() && !readToken.isEmpty()) {
            throw new ConfigurationException("sluice.api.read-token (SLUICE_API_READ_TOKEN) is set without an API "
                    + "token: reads would be protected and changes open; set SLUICE_API_TOKEN too");
        }
        if (token.isEmpty() && configuration.isOpen()) {
            LOG.warn("API OPEN: sluice.api.open=true and no token, every request under /api is accepted without "
                    + "authentication, including those that create connectors; only for a machine no one else can reach");
        } else if (token.isEmpty()) {
            throw new ConfigurationException("no API token: set sluice.api.token (SLUICE_API_TOKEN) to a generated "
                    + "secret, e.g. `openssl rand -hex 24`, or set SLUICE_API_OPEN=true to run the API without "
                    + "authentication on a machine no one else can reach");
        } else if (configuration.isOpen()) {
            LOG.warn("sluice.api.open=true is ignored: an API token is set, so the API is protected");
        }
        if (!readToken.isEmpty() && readToken.equals(token)) {
            throw new ConfigurationException("sluice.api.read-token (SLUICE_API_READ_TOKEN) equals the API token: "
                    + "a read token must be a different secret");
        }
        this.writeDigest = token.isEmpty() ? null : sha256(token);
        this.readDigest = readToken.isEmpty() ? null : sha256(readToken);
        if (writeDigest != null) {
            LOG.info("api protected: mutations need the API token, reads {}",
                    readDigest == null ? "are open" : "need the read or the API token");
        }
    }

    /** Whether {@code bearer} (null when the request has none) grants {@code need}. */
    public Verdict decide(Need need, String bearer) {
        if (writeDigest == null || (need == Need.READ && readDigest == null)) {
            return Verdict.GRANTED;
        }
        if (bearer == null) {
            return Verdict.MISSING;
        }
        byte[] digest = sha256(bearer.strip());
        boolean granted = MessageDigest.isEqual(writeDigest, digest)
                | (need == Need.READ && MessageDigest.isEqual(readDigest, digest));
        return granted ? Verdict.GRANTED : Verdict.WRONG;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
