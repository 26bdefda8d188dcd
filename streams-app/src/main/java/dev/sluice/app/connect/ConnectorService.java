package dev.sluice.app.connect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.admin.ConnectRestException;
import dev.sluice.connect.template.ConnectorTemplate;
import dev.sluice.connect.template.ConnectorTemplates;
import dev.sluice.connect.template.TemplateException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

/**
 * Manages connectors on the Kafka Connect cluster: renders templates, checks every configuration against the
 * {@link ConnectorPolicy} and then through Connect's validate endpoint before it is submitted, and shows connectors
 * with secrets masked. No message leaves with a secret of the configuration in it, literal or resolved from a
 * reference ({@link ConfigSecrets}). Configurations are never logged; log lines name the connector and the action
 * only.
 */
@Singleton
public class ConnectorService {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final String CONNECTOR_CLASS = "connector.class";
    static final String WITHHELD = "invalid: the value this config-provider reference resolves to was rejected by "
            + "Kafka Connect; its message is not shown because it quotes the resolved value (check the referenced "
            + "file or variable)";

    private final ConnectRestClient connect;
    private final ConnectorTemplates templates;
    private final SecretMasker masker;
    private final ConnectorPolicy policy;
    private final ConfigSecrets configSecrets;
    private final ConnectorViews views;

    public ConnectorService(ConnectRestClient connect, ConnectorTemplates templates, SecretMasker masker,
            ConnectorPolicy policy, ConfigSecrets configSecrets) {
        this.connect = connect;
        this.templates = templates;
        this.masker = masker;
        this.policy = policy;
        this.configSecrets = configSecrets;
        this.views = new ConnectorViews(masker, configSecrets);
    }

    /** Every connector with its status, by name. */
    public List<ConnectorView> list() {
        JsonNode all = connect.connectorsExpanded();
        List<ConnectorView> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode info = entry.getValue().path("info");
            Map<String, String> config = ConnectorViews.config(info.path("config"));
            list.add(views.view(entry.getKey(), entry.getValue().get("status"), config,
                    info.hasNonNull("type") ? info.get("type").asText() : null, false));
        }
        list.sort(Comparator.comparing(ConnectorView::name));
        return list;
    }

    /** One connector with its status and its configuration, secrets masked. */
    public ConnectorView get(String name) {
        requireName(name);
        Map<String, String> config = ConnectorViews.config(connect.config(name));
        return views.view(name, statusOrNull(name), config, null, true);
    }

    /**
     * Creates a connector from a template or a full configuration, after Connect validated it.
     *
     * @throws ApiException 400 naming each invalid field or parameter, 409 when the name is taken
     */
    public ConnectorView create(ConnectorRequest request) {
        String name = requireName(request.name());
        Map<String, String> config = configOf(name, request);
        rejectMasks(config);
        policy.check(config);
        Set<String> secrets = configSecrets.of(config);
        try {
            if (exists(name)) {
                throw new ApiException(HttpStatus.CONFLICT, "Connector exists", "a connector named '" + name
                        + "' exists; change it with PUT /api/connectors/" + name);
            }
            validate(name, config, secrets);
            connect.create(name, config);
            LOG.info("connector created name={} class={} template={}", name, config.get(CONNECTOR_CLASS),
                    request.template() == null ? "-" : request.template());
            return views.view(name, statusOrNull(name), config, null, true);
        } catch (ConnectRestException e) {
            throw e.withMessage(masker.scrub(e.getMessage(), secrets));
        }
    }

    /**
     * Replaces the configuration of an existing connector, after Connect validated it. Secret settings sent back
     * masked ({@value SecretMasker#MASK}) keep their current value, so a configuration read from the API can be
     * edited and sent back.
     */
    public ConnectorView update(String name, ConnectorRequest request) {
        requireName(name);
        if (request.name() != null && !request.name().equals(name)) {
            throw ApiException.invalidField("name", "the body names '" + request.name()
                    + "' but the path names '" + name + "'; a connector cannot be renamed");
        }
        Map<String, String> config = configOf(name, request);
        policy.check(config);
        Map<String, String> current = ConnectorViews.config(connect.config(name));
        keepMaskedSecrets(config, current);
        Set<String> secrets = configSecrets.of(config);
        try {
            validate(name, config, secrets);
            connect.putConfig(name, config);
            LOG.info("connector updated name={} class={} template={}", name, config.get(CONNECTOR_CLASS),
                    request.template() == null ? "-" : request.template());
            return views.view(name, statusOrNull(name), config, null, true);
        } catch (ConnectRestException e) {
            throw e.withMessage(masker.scrub(e.getMessage(), secrets));
        }
    }

    public void pause(String name) {
        requireName(name);
        connect.pause(name);
        LOG.info("connector pause requested name={}", name);
    }

    public void resume(String name) {
        requireName(name);
        connect.resume(name);
        LOG.info("connector resume requested name={}", name);
    }

    /** Restarts the connector, and with {@code includeTasks} its tasks; with {@code onlyFailed} only failed ones. */
    public ConnectorView restart(String name, boolean includeTasks, boolean onlyFailed) {
        requireName(name);
        connect.restart(name, includeTasks, onlyFailed);
        LOG.info("connector restart requested name={} includeTasks={} onlyFailed={}", name, includeTasks,
                onlyFailed);
        return get(name);
    }

    public void delete(String name) {
        requireName(name);
        connect.delete(name);
        LOG.info("connector deleted name={}", name);
    }

    /** The shipped templates with their parameters. */
    public List<TemplateView> templates() {
        return templates.all().stream().map(ConnectorService::templateView).toList();
    }

    /** The stored configuration of a connector, unmasked: for this service's own use, never to be shown. */
    public Map<String, String> storedConfig(String name) {
        requireName(name);
        return ConnectorViews.config(connect.config(name));
    }

    static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.invalidField("name", "a connector name is required");
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiException.invalidField("name", "'" + name + "' is not a connector name: up to 200 letters, "
                    + "digits, '.', '_' and '-', starting with a letter or digit");
        }
        return name;
    }

    private Map<String, String> configOf(String name, ConnectorRequest request) {
        boolean hasTemplate = request.template() != null && !request.template().isBlank();
        boolean hasConfig = request.config() != null && !request.config().isEmpty();
        if (hasTemplate == hasConfig) {
            throw ApiException.invalidField(hasTemplate ? "config" : "template",
                    "give either template (with parameters) or config (a full connector configuration)"
                            + (hasTemplate ? ", not both" : ""));
        }
        if (hasTemplate) {
            ConnectorTemplate template = templates.find(request.template()).orElseThrow(() ->
                    ApiException.invalidField("template", "no template '" + request.template() + "'; known: "
                            + templates.all().stream().map(ConnectorTemplate::name).toList()));
            if (request.parameters() != null && request.parameters().containsKey(CONNECTOR_CLASS)) {
                throw ApiException.invalidField("parameters." + CONNECTOR_CLASS, "a template fixes the connector "
                        + "class; use config for a full configuration");
            }
            try {
                return template.render(strings(request.parameters(), "parameters."));
            } catch (TemplateException e) {
                List<Problem.FieldError> errors = e.parameterProblems().stream()
                        .map(p -> new Problem.FieldError("parameters." + p.parameter(), List.of(p.message())))
                        .toList();
                throw ApiException.invalid("the parameters do not fit template '" + template.name() + "'", errors);
            }
        }
        Map<String, String> config = strings(request.config(), "");
        if (config.get(CONNECTOR_CLASS) == null || config.get(CONNECTOR_CLASS).isBlank()) {
            throw ApiException.invalidField(CONNECTOR_CLASS, "required: the connector plugin class");
        }
        if (config.containsKey("name") && !config.get("name").equals(name)) {
            throw ApiException.invalidField("name", "config.name '" + config.get("name")
                    + "' differs from the connector name '" + name + "'");
        }
        return config;
    }

    /** Connect configurations are strings; scalars are accepted as their text, structures are not. */
    private static Map<String, String> strings(Map<String, Object> values, String fieldPrefix) {
        Map<String, String> strings = new LinkedHashMap<>();
        if (values == null) {
            return strings;
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        values.forEach((key, value) -> {
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                strings.put(key, value.toString());
            } else if (value != null) {
                errors.add(new Problem.FieldError(fieldPrefix + key,
                        List.of("must be a string, number or boolean")));
            }
        });
        if (!errors.isEmpty()) {
            throw ApiException.invalid("values must be strings, numbers or booleans", errors);
        }
        return strings;
    }

    private void rejectMasks(Map<String, String> config) {
        List<Problem.FieldError> errors = new ArrayList<>();
        config.forEach((key, value) -> {
            if (SecretMasker.MASK.equals(value)) {
                errors.add(new Problem.FieldError(key, List.of("give the secret, preferably as a config-provider "
                        + "reference such as ${file:/path:key} or ${env:VAR}, not the mask")));
            }
        });
        if (!errors.isEmpty()) {
            throw ApiException.invalid("masked values cannot be stored", errors);
        }
    }

    private void keepMaskedSecrets(Map<String, String> config, Map<String, String> current) {
        List<Problem.FieldError> errors = new ArrayList<>();
        config.replaceAll((key, value) -> {
            if (!SecretMasker.MASK.equals(value)) {
                return value;
            }
            if (masker.isSecretKey(key) && current.containsKey(key)) {
                return current.get(key);
            }
            errors.add(new Problem.FieldError(key, List.of("masked, but there is no current secret to keep")));
            return value;
        });
        if (!errors.isEmpty()) {
            throw ApiException.invalid("masked values cannot be stored", errors);
        }
    }

    /**
     * Validates through Connect; fails with 400 listing the messages per setting. The plugin is looked up first,
     * so an unknown class is reported on {@code connector.class} rather than as a Connect server error.
     */
    private void validate(String name, Map<String, String> config, Set<String> secrets) {
        String connectorClass = config.get(CONNECTOR_CLASS);
        List<String> known = new ArrayList<>();
        for (JsonNode plugin : connect.plugins()) {
            known.add(plugin.path("class").asText());
        }
        boolean found = known.stream().anyMatch(c -> c.equals(connectorClass)
                || c.substring(c.lastIndexOf('.') + 1).equals(connectorClass));
        if (!found) {
            throw ApiException.invalidField(CONNECTOR_CLASS, "no connector plugin '" + connectorClass
                    + "' on the Connect workers; available: " + known);
        }
        Map<String, String> named = new LinkedHashMap<>(config);
        named.put("name", name);
        JsonNode result = connect.validate(connectorClass, named);
        List<Problem.FieldError> errors = new ArrayList<>();
        for (JsonNode setting : result.path("configs")) {
            JsonNode value = setting.path("value");
            List<String> messages = new ArrayList<>();
            String given = config.get(value.path("name").asText());
            if (given != null && given.contains("${") && value.path("errors").size() > 0) {
                // Connect validated the resolved value and quotes it; this service may not be able to resolve
                // the reference to scrub it, so the message is not relayed at all.
                messages.add(WITHHELD);
            } else {
                value.path("errors").forEach(m -> messages.add(masker.scrub(m.asText(), secrets)));
            }
            if (!messages.isEmpty()) {
                errors.add(new Problem.FieldError(value.path("name").asText(), messages));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid("Kafka Connect rejected the configuration: " + errors.size()
                    + " setting(s) invalid: " + errors.stream().map(Problem.FieldError::field).toList(), errors);
        }
    }

    /** Whether Connect has a connector named {@code name}. */
    public boolean exists(String name) {
        try {
            connect.info(name);
            return true;
        } catch (ConnectRestException e) {
            if (e.status() == HttpStatus.NOT_FOUND.getCode()) {
                return false;
            }
            throw e;
        }
    }

    /** The status, or null while Connect has none yet (just after creation). */
    private JsonNode statusOrNull(String name) {
        try {
            return connect.status(name);
        } catch (ConnectRestException e) {
            if (e.status() == HttpStatus.NOT_FOUND.getCode()) {
                return null;
            }
            throw e;
        }
    }

    private static TemplateView templateView(ConnectorTemplate template) {
        List<TemplateView.Parameter> parameters = new ArrayList<>();
        template.parameters().forEach((name, p) -> parameters.add(
                new TemplateView.Parameter(name, p.doc(), p.defaultValue(), p.required(), p.secret())));
        return new TemplateView(template.name(), template.description(), template.connectorClass(), parameters);
    }
}
