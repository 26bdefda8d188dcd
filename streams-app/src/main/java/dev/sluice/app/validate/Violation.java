package dev.sluice.app.validate;

/** One broken rule: its id ({@code <entity>.<field>.<check>}) and what was wrong. */
public record Violation(String rule, String message) {
}
