package dev.sluice.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code kubectl kustomize} builds from a kustomization, for the features the Sluice manifests use:
 * resources (files and directories), secret and config map generators from env files, strategic-merge patches
 * (by the patch's own kind and name, or by a target with kind, name and label selector), namespace, labels and
 * images. Any other field fails the check instead of being ignored, so this reader never silently differs from
 * kustomize. An env file of a generator that is not committed (secrets.env) is read from its committed
 * {@code .example}, which lists the same keys.
 */
final class Kustomize {

    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "namespace", "labels",
            "images", "patches", "secretGenerator", "configMapGenerator", "generatorOptions", "configurations");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass");

    /** The resources a kustomization builds. */
    record Output(Path dir, List<Map<String, Object>> resources) {

        List<Map<String, Object>> ofKind(String kind) {
            return resources.stream().filter(r -> kind.equals(Tree.text(r, "kind"))).toList();
        }

        Optional<Map<String, Object>> find(String kind, String name) {
            return ofKind(kind).stream().filter(r -> name.equals(Tree.text(r, "metadata", "name"))).findFirst();
        }

        String where() {
            return Repository.relative(dir);
        }
    }

    private Kustomize() {
    }

    static Output build(Path dir, Problems problems) {
        return new Output(dir, resources(dir, problems));
    }

    private static List<Map<String, Object>> resources(Path dir, Problems problems) {
        Path file = dir.resolve("kustomization.yaml");
        String where = Repository.relative(file);
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            problems.add(Repository.relative(dir), "no kustomization.yaml");
            return out;
        }
        Map<String, Object> kustomization = Repository.yaml(file);
        kustomization.keySet().stream().filter(key -> !FIELDS.contains(key)).forEach(key -> problems.add(where,
                "field '" + key + "' is not understood by this check (Kustomize.java); extend it before using it"));

        for (Object entry : Tree.list(kustomization, "resources")) {
            Path resource = dir.resolve(String.valueOf(entry)).normalize();
            if (Files.isDirectory(resource)) {
                out.addAll(resources(resource, problems));
            } else if (Files.isRegularFile(resource)) {
                out.addAll(Repository.yamlDocuments(resource));
            } else {
                problems.add(where, "resources lists '" + entry + "', which does not exist");
            }
        }
        boolean hashed = !"true".equals(Tree.text(kustomization, "generatorOptions", "disableNameSuffixHash"));
        out.addAll(generated(dir, where, kustomization, "secretGenerator", "Secret", hashed, problems));
        out.addAll(generated(dir, where, kustomization, "configMapGenerator", "ConfigMap", hashed, problems));
        for (Map<String, Object> patch : Tree.maps(kustomization, "patches")) {
            applyPatch(dir, where, patch, out, problems);
        }
        String namespace = Tree.text(kustomization, "namespace");
        if (namespace != null) {
            out.stream().filter(r -> !CLUSTER_SCOPED.contains(Tree.text(r, "kind")))
                    .forEach(r -> metadata(r).put("namespace", namespace));
        }
        for (Map<String, Object> labels : Tree.maps(kustomization, "labels")) {
            if ("true".equals(Tree.text(labels, "includeSelectors")) || "true".equals(Tree.text(labels,
                    "includeTemplates"))) {
                problems.add(where, "labels with includeSelectors/includeTemplates are not understood by this check");
            }
            out.forEach(r -> {
                Map<String, Object> metadata = metadata(r);
                Map<String, Object> current = new LinkedHashMap<>(Tree.map(metadata, "labels"));
                current.putAll(Tree.map(labels, "pairs"));
                metadata.put("labels", current);
            });
        }
        for (Map<String, Object> image : Tree.maps(kustomization, "images")) {
            int[] used = {0};
            out.forEach(r -> used[0] += setImage(r, image));
            problems.check(used[0] > 0, where, "images entry '" + Tree.text(image, "name")
                    + "' matches no image of the resources");
        }
        for (Object configuration : Tree.list(kustomization, "configurations")) {
            problems.check(Files.isRegularFile(dir.resolve(String.valueOf(configuration))), where,
                    "configurations lists '" + configuration + "', which does not exist");
        }
        List<String> seen = new ArrayList<>();
        for (Map<String, Object> resource : out) {
            String id = Tree.id(resource);
            problems.check(!seen.contains(id), where, id + " is defined twice");
            seen.add(id);
        }
        return out;
    }

    private static List<Map<String, Object>> generated(Path dir, String where, Map<String, Object> kustomization,
            String field, String kind, boolean hashed, Problems problems) {
        List<Map<String, Object>> generated = new ArrayList<>();
        for (Map<String, Object> generator : Tree.maps(kustomization, field)) {
            String name = Tree.text(generator, "name");
            if (hashed) {
                // Kustomize would append a content hash to the name and rewrite references in built-in kinds
                // only: the Strimzi resources that name this Secret would miss it.
                problems.add(where, field + " " + name + " needs generatorOptions.disableNameSuffixHash: true");
            }
            if (generator.containsKey("files")) {
                problems.add(where, field + " " + name + ": 'files' is not understood by this check");
            }
            Map<String, Object> data = new LinkedHashMap<>();
            for (Object literal : Tree.list(generator, "literals")) {
                String text = String.valueOf(literal);
                data.put(text.substring(0, Math.max(0, text.indexOf('='))), "");
            }
            for (Object env : Tree.list(generator, "envs")) {
                Path file = dir.resolve(String.valueOf(env));
                Path example = dir.resolve(env + ".example");
                if (Files.isRegularFile(example)) {
                    envKeys(example).forEach(key -> data.put(key, ""));
                }
                if (Files.isRegularFile(file)) {
                    envKeys(file).forEach(key -> data.put(key, ""));
                } else if (!Files.isRegularFile(example)) {
                    problems.add(where, field + " " + name + " reads '" + env + "', and there is neither it nor '"
                            + env + ".example' listing its keys");
                }
            }
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("apiVersion", "v1");
            resource.put("kind", kind);
            resource.put("metadata", new LinkedHashMap<>(Map.of("name", name)));
            resource.put("data", data);
            generated.add(resource);
        }
        return generated;
    }

    private static List<String> envKeys(Path file) {
        return Repository.read(file).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#") && line.contains("="))
                .map(line -> line.substring(0, line.indexOf('=')).strip())
                .toList();
    }

    private static void applyPatch(Path dir, String where, Map<String, Object> entry,
            List<Map<String, Object>> resources, Problems problems) {
        List<Map<String, Object>> documents;
        String source;
        if (entry.containsKey("path")) {
            Path file = dir.resolve(Tree.text(entry, "path"));
            source = Repository.relative(file);
            if (!Files.isRegularFile(file)) {
                problems.add(where, "patch '" + Tree.text(entry, "path") + "' does not exist");
                return;
            }
            documents = Repository.yamlDocuments(file);
        } else {
            source = where + " (inline patch)";
            documents = Repository.yamlDocuments(Tree.text(entry, "patch"), source);
        }
        Map<String, Object> target = Tree.map(entry, "target");
        for (Map<String, Object> patch : documents) {
            List<Integer> matches = new ArrayList<>();
            for (int i = 0; i < resources.size(); i++) {
                if (target.isEmpty() ? sameObject(resources.get(i), patch) : selected(resources.get(i), target)) {
                    matches.add(i);
                }
            }
            if (matches.isEmpty()) {
                problems.add(source, "patch of " + (target.isEmpty() ? Tree.id(patch) : "target " + target)
                        + " matches no resource");
            }
            for (int i : matches) {
                Map<String, Object> resource = resources.get(i);
                Map<String, Object> body = Tree.copy(patch);
                if (!target.isEmpty()) {
                    // A targeted patch applies whatever name its body carries.
                    metadata(body).put("name", Tree.text(resource, "metadata", "name"));
                }
                resources.set(i, merge(resource, body, builtIn(resource)));
            }
        }
    }

    private static boolean sameObject(Map<String, Object> resource, Map<String, Object> patch) {
        return Tree.text(resource, "kind").equals(Tree.text(patch, "kind"))
                && Tree.text(resource, "metadata", "name").equals(Tree.text(patch, "metadata", "name"));
    }

    private static boolean selected(Map<String, Object> resource, Map<String, Object> target) {
        String kind = Tree.text(target, "kind");
        String name = Tree.text(target, "name");
        String selector = Tree.text(target, "labelSelector");
        if (kind != null && !kind.equals(Tree.text(resource, "kind"))) {
            return false;
        }
        if (name != null && !name.equals(Tree.text(resource, "metadata", "name"))) {
            return false;
        }
        if (selector != null) {
            Map<String, Object> labels = Tree.map(resource, "metadata", "labels");
            for (String term : selector.split(",")) {
                String[] pair = term.split("=", 2);
                if (pair.length != 2 || !pair[1].strip().equals(Tree.text(labels, pair[0].strip()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Kubernetes' own kinds merge lists of named items (containers, env, ports) by name; custom resources don't. */
    private static boolean builtIn(Map<String, Object> resource) {
        String apiVersion = Tree.text(resource, "apiVersion");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return !group.contains(".") || group.endsWith(".k8s.io");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> patch, boolean builtIn) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        patch.forEach((key, value) -> {
            Object current = merged.get(key);
            if (value == null) {
                merged.remove(key);
            } else if (current instanceof Map<?, ?> currentMap && value instanceof Map<?, ?> valueMap) {
                merged.put(key, merge((Map<String, Object>) currentMap, (Map<String, Object>) valueMap, builtIn));
            } else if (builtIn && current instanceof List<?> currentList && value instanceof List<?> valueList
                    && named(currentList) && named(valueList)) {
                merged.put(key, mergeByName((List<Object>) currentList, (List<Object>) valueList));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private static boolean named(List<?> list) {
        return !list.isEmpty() && list.stream().allMatch(item -> item instanceof Map<?, ?> map
                && map.get("name") != null);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> mergeByName(List<Object> base, List<Object> patch) {
        List<Object> merged = new ArrayList<>(base);
        for (Object item : patch) {
            Map<String, Object> patchItem = (Map<String, Object>) item;
            int index = -1;
            for (int i = 0; i < merged.size(); i++) {
                if (patchItem.get("name").equals(((Map<String, Object>) merged.get(i)).get("name"))) {
                    index = i;
                }
            }
            if (index < 0) {
                merged.add(patchItem);
            } else {
                merged.set(index, merge((Map<String, Object>) merged.get(index), patchItem, true));
            }
        }
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> resource) {
        Object metadata = resource.get("metadata");
        if (!(metadata instanceof Map)) {
            metadata = new LinkedHashMap<String, Object>();
            resource.put("metadata", metadata);
        }
        return (Map<String, Object>) metadata;
    }

    /** Sets every {@code image} field naming {@code entry.name}; returns how many it set. */
    @SuppressWarnings("unchecked")
    private static int setImage(Object node, Map<String, Object> entry) {
        int count = 0;
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<String, Object> field : ((Map<String, Object>) map).entrySet()) {
                if (field.getKey().equals("image") && field.getValue() instanceof String image
                        && Images.name(image).equals(Tree.text(entry, "name"))) {
                    String name = Optional.ofNullable(Tree.text(entry, "newName")).orElse(Images.name(image));
                    String tag = Optional.ofNullable(Tree.text(entry, "newTag")).orElse(Images.tag(image));
                    field.setValue(tag == null ? name : name + ":" + tag);
                    count++;
                } else {
                    count += setImage(field.getValue(), entry);
                }
            }
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                count += setImage(item, entry);
            }
        }
        return count;
    }
}
