package dev.sluice.app.alerts;

/** An alert rule whose name and scope are fixed when it is made; what it checks is the subclass's. */
abstract class NamedRule implements AlertRule {

    private final String name;
    private final Scope scope;

    NamedRule(String name, Scope scope) {
        this.name = name;
        this.scope = scope;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Scope scope() {
        return scope;
    }
}
