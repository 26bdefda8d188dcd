package dev.sluice.connect.template;

import java.util.List;

/** Parameters given to a template that do not fit it; {@link #problems()} lists each, by parameter name. */
public class TemplateException extends RuntimeException {

    private final transient List<Problem> problems;

    /**
     * One parameter that does not fit.
     *
     * @param parameter the parameter's name
     * @param message what is wrong, starting with the parameter's name in quotes
     */
    public record Problem(String parameter, String message) {
    }

    public TemplateException(String template, List<Problem> problems) {
        super("template '" + template + "': " + String.join("; ", problems.stream().map(Problem::message).toList()));
        this.problems = List.copyOf(problems);
    }

    /** The messages, one per problem. */
    public List<String> problems() {
        return problems.stream().map(Problem::message).toList();
    }

    /** The problems with the parameter each concerns. */
    public List<Problem> parameterProblems() {
        return problems;
    }
}
