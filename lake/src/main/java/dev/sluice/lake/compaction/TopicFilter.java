package dev.sluice.lake.compaction;

import java.util.List;
import java.util.regex.Pattern;

/** Topic name globs: {@code *} matches any characters, {@code ?} one; an empty list matches every topic. */
final class TopicFilter {

    private final List<Pattern> patterns;

    TopicFilter(List<String> globs) {
        this.patterns = globs.stream().map(TopicFilter::compile).toList();
    }

    boolean matches(String topic) {
        return patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matcher(topic).matches());
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.strip().toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString());
    }
}
