package dev.sluice.connect.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a custom {@code query} is one read-only statement, checked on its text before it reaches a database.
 * A small lexer skips string literals, quoted identifiers, PostgreSQL dollar quotes and comments; what
 * remains must start with SELECT or WITH (after opening parentheses), hold no {@code ;} except trailing ones,
 * and name none of INSERT, UPDATE, DELETE, MERGE (data-modifying CTEs), INTO ({@code SELECT ... INTO}) or a
 * {@code FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE} lock. A keyword used as a column name must be double-quoted.
 *
 * <p>Where databases read the same text differently, the text is refused rather than guessed at, so that no
 * database sees a statement the check did not: backslashes inside quotes (an escape in MySQL, a character in
 * PostgreSQL), nested or {@code /*!} block comments, {@code --} without a following space, and {@code #}.
 * The database itself is the second line: the source and its validation run the query in a read-only
 * transaction.
 */
public final class CustomQueryCheck {

    /** What the connector accepts, for error messages and documentation. */
    public static final String RULE = "one read-only SELECT (or WITH ... SELECT) statement: no ';' between "
            + "statements, no INSERT, UPDATE, DELETE or MERGE (also not inside WITH), no SELECT ... INTO, no FOR "
            + "UPDATE/SHARE or LOCK IN SHARE MODE; quote a column named like one of these keywords with double quotes";

    private static final Set<String> FIRST_WORDS = Set.of("SELECT", "WITH");
    private static final Set<String> WRITING_WORDS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "INTO");
    private static final Set<String> LOCK_WORDS = Set.of("UPDATE", "SHARE", "NO", "KEY");

    private final String sql;
    private int pos;
    // Words and single-character symbols outside literals, quoted identifiers and comments.
    private final List<String> tokens = new ArrayList<>();

    private CustomQueryCheck(String sql) {
        this.sql = sql;
    }

    /** @return why the query is refused; empty when it is one read-only statement */
    public static Optional<String> problem(String query) {
        if (query == null || query.isBlank()) {
            return Optional.empty();
        }
        CustomQueryCheck check = new CustomQueryCheck(query);
        return Optional.ofNullable(check.lex()).or(check::statementProblem);
    }

    /** Splits the text into tokens; returns what makes it ambiguous or incomplete, else null. */
    private String lex() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            String problem;
            if (Character.isWhitespace(c)) {
                pos++;
                continue;
            } else if (c == '\'' || c == '"' || c == '`') {
                problem = skipQuoted(c);
            } else if (c == '$' && dollarTag() != null) {
                problem = skipDollarQuoted(dollarTag());
            } else if (sql.startsWith("--", pos)) {
                problem = skipLineComment();
            } else if (sql.startsWith("/*", pos)) {
                problem = skipBlockComment();
            } else if (c == '#') {
                problem = "'#' starts a comment in some databases; remove it";
            } else if (isWordChar(c)) {
                int start = pos;
                while (pos < sql.length() && (isWordChar(sql.charAt(pos)) || sql.charAt(pos) == '$')) {
                    pos++;
                }
                tokens.add(sql.substring(start, pos).toUpperCase(Locale.ROOT));
                continue;
            } else {
                tokens.add(String.valueOf(c));
                pos++;
                continue;
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    // 'string' with '' inside, "identifier" with "" inside, `identifier` with `` inside.
    private String skipQuoted(char quote) {
        int start = pos;
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '\\') {
                return "a backslash inside quotes is an escape in some databases and not in others; remove it";
            }
            pos++;
            if (c == quote) {
                if (pos < sql.length() && sql.charAt(pos) == quote) {
                    pos++;
                } else {
                    return null;
                }
            }
        }
        return "the quote opened at character " + (start + 1) + " is never closed";
    }

    /** The dollar-quote tag starting at pos ({@code $$} or {@code $name$}), or null if '$' starts none. */
    private String dollarTag() {
        if (pos > 0 && (isWordChar(sql.charAt(pos - 1)) || sql.charAt(pos - 1) == '$')) {
            return null;
        }
        int i = pos + 1;
        if (i < sql.length() && Character.isDigit(sql.charAt(i))) {
            return null;
        }
        while (i < sql.length() && isWordChar(sql.charAt(i))) {
            i++;
        }
        return i < sql.length() && sql.charAt(i) == '$' ? sql.substring(pos, i + 1) : null;
    }

    private String skipDollarQuoted(String tag) {
        int end = sql.indexOf(tag, pos + tag.length());
        if (end < 0) {
            return "the dollar quote " + tag + " opened at character " + (pos + 1) + " is never closed";
        }
        pos = end + tag.length();
        return null;
    }

    private String skipLineComment() {
        int after = pos + 2;
        if (after < sql.length() && !Character.isWhitespace(sql.charAt(after))) {
            return "'--' starts a comment only before a space in some databases; write '-- '";
        }
        int end = sql.indexOf('\n', pos);
        pos = end < 0 ? sql.length() : end + 1;
        return null;
    }

    private String skipBlockComment() {
        if (sql.startsWith("/*!", pos)) {
            return "'/*!' comments are executed by some databases; remove it";
        }
        int end = sql.indexOf("*/", pos + 2);
        if (end < 0) {
            return "the comment opened at character " + (pos + 1) + " is never closed";
        }
        if (sql.substring(pos + 2, end).contains("/*")) {
            return "nested comments end differently in different databases; remove the inner '/*'";
        }
        pos = end + 2;
        return null;
    }

    private Optional<String> statementProblem() {
        int first = 0;
        while (first < tokens.size() && tokens.get(first).equals("(")) {
            first++;
        }
        if (first == tokens.size() || !FIRST_WORDS.contains(tokens.get(first))) {
            return Optional.of("it must start with SELECT or WITH");
        }
        for (int i = first; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token.equals(";") && tokens.subList(i, tokens.size()).stream().anyMatch(t -> !t.equals(";"))) {
                return Optional.of("';' separates statements; only one statement is allowed");
            }
            if (token.equals("FOR") && i + 1 < tokens.size() && LOCK_WORDS.contains(tokens.get(i + 1))) {
                return Optional.of("FOR " + tokens.get(i + 1) + " locks rows");
            }
            if (token.equals("LOCK") && i + 1 < tokens.size() && tokens.get(i + 1).equals("IN")) {
                return Optional.of("LOCK IN ... MODE locks rows");
            }
            if (WRITING_WORDS.contains(token)) {
                return Optional.of(token.equals("INTO") ? "INTO writes a table" : token + " writes data");
            }
        }
        return Optional.empty();
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
