package dev.sluice.app.query;

/** Echoing request input in answers and logs: short, and without control characters. */
final class Text {

    private static final int MAX = 80;

    private Text() {
    }

    static String quote(String raw) {
        String cut = raw.length() > MAX ? raw.substring(0, MAX) + "..." : raw;
        return cut.replaceAll("[\\p{Cntrl}\\p{Cf}]", "?");
    }
}
