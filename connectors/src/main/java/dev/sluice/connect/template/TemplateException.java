package dev.sluice.connect.template;

import java.util.List;

/** Parameters given to a template that do not fit it; {@link #problems()} lists each, by parameter name. */
public class TemplateException extends RuntimeException {

    private final transient List<String> problems;

    public TemplateException(String template, List<String> problems) {
        super("template '" + template + "': " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
