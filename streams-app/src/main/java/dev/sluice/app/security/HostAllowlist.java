package dev.sluice.app.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which {@code Host} header values the service answers. DNS rebinding makes a hostile page's own name resolve to
 * 127.0.0.1, so the browser sends that name as the host; refusing names this service does not go by stops it.
 * IP addresses can never be rebound and are always accepted (probes and peers call by address), as is
 * {@code localhost}.
 */
final class HostAllowlist {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]+(%[0-9A-Za-z]+)?]");

    private final boolean any;
    private final List<String> names = new ArrayList<>();
    private final List<String> suffixes = new ArrayList<>();

    /**
     * @param entries exact names, {@code *.suffix} patterns or {@code *}; blank entries are ignored
     */
    HostAllowlist(List<String> entries) {
        boolean wildcard = false;
        names.add("localhost");
        for (String raw : entries) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                wildcard = true;
            } else if (entry.startsWith("*.") && entry.length() > 2) {
                suffixes.add(entry.substring(1));
            } else if (entry.contains("*")) {
                throw new IllegalArgumentException("sluice.api.allowed-hosts: '" + raw.strip() + "' is not a host "
                        + "name, '*.domain' or '*'");
            } else {
                names.add(entry);
            }
        }
        this.any = wildcard;
    }

    /** Whether a request with header {@code Host: hostHeader} is answered; a request without one is. */
    boolean allows(String hostHeader) {
        if (hostHeader == null || any) {
            return true;
        }
        String host = withoutPort(hostHeader.strip()).toLowerCase(Locale.ROOT);
        if (isIpLiteral(host) || names.contains(host)) {
            return true;
        }
        return suffixes.stream().anyMatch(suffix -> host.endsWith(suffix) && host.length() > suffix.length());
    }

    private static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static boolean isIpLiteral(String host) {
        if (IPV6.matcher(host).matches()) {
            return true;
        }
        var ipv4 = IPV4.matcher(host);
        if (!ipv4.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(ipv4.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }
}
