package dev.sluice.app.dlq;

import java.util.Objects;

import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;

/**
 * Why a record cannot continue: the stage, an error code, the failed rule (validation only), a message and the
 * exception class when an exception was the cause.
 */
public record Failure(Stage stage, ErrorCode code, String rule, String message, String exceptionClass) {

    public Failure {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static Failure of(Stage stage, ErrorCode code, String message) {
        return new Failure(stage, code, null, message, null);
    }

    public static Failure rule(String rule, String message) {
        return new Failure(Stage.VALIDATE, ErrorCode.VALIDATION_FAILED, rule, message, null);
    }

    public static Failure exception(Stage stage, ErrorCode code, Throwable error) {
        return new Failure(stage, code, null, describe(error), error.getClass().getName());
    }

    /** The exception's message and those of its causes, which usually say more than the outermost one. */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null && text.length() < DeadLetterHeaders.MAX_MESSAGE_CHARS; t = t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString();
    }
}
