package dev.sluice.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** The parts of a pom and of an assembly descriptor the image checks compare: dependencies and dependency sets. */
final class Poms {

    private Poms() {
    }

    /** A dependency of a pom: version null when dependency management gives it; exclusions as group:artifact. */
    record Dependency(String groupId, String artifactId, String version, Set<String> exclusions) {

        String key() {
            return groupId + ":" + artifactId;
        }
    }

    /** A dependency set of an assembly descriptor. */
    record DependencySet(String outputDirectory, List<String> includes, List<String> excludes) {

        /** Whether an include pattern ({@code group:artifact} or {@code group:*}) takes the artifact. */
        boolean includes(String groupId, String artifactId) {
            return includes.contains(groupId + ":" + artifactId) || includes.contains(groupId + ":*");
        }
    }

    /** The pom's own dependencies (not its dependency management). */
    static List<Dependency> dependencies(Path pom) {
        List<Dependency> dependencies = new ArrayList<>();
        Element project = parse(pom).getDocumentElement();
        for (Element list : children(project, "dependencies")) {
            for (Element dependency : children(list, "dependency")) {
                Set<String> exclusions = new TreeSet<>();
                for (Element exclusionList : children(dependency, "exclusions")) {
                    for (Element exclusion : children(exclusionList, "exclusion")) {
                        exclusions.add(text(exclusion, "groupId") + ":" + text(exclusion, "artifactId"));
                    }
                }
                dependencies.add(new Dependency(text(dependency, "groupId"), text(dependency, "artifactId"),
                        text(dependency, "version"), exclusions));
            }
        }
        return dependencies;
    }

    /** A property of the pom's {@code <properties>}, null when absent. */
    static String property(Path pom, String name) {
        Element project = parse(pom).getDocumentElement();
        for (Element properties : children(project, "properties")) {
            String value = text(properties, name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    static List<DependencySet> dependencySets(Path assembly) {
        List<DependencySet> sets = new ArrayList<>();
        for (Element list : children(parse(assembly).getDocumentElement(), "dependencySets")) {
            for (Element set : children(list, "dependencySet")) {
                sets.add(new DependencySet(text(set, "outputDirectory"), texts(set, "includes", "include"),
                        texts(set, "excludes", "exclude")));
            }
        }
        return sets;
    }

    private static List<String> texts(Element parent, String list, String item) {
        List<String> values = new ArrayList<>();
        for (Element element : children(parent, list)) {
            for (Element child : children(element, item)) {
                values.add(child.getTextContent().strip());
            }
        }
        return values;
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0).getTextContent().strip();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getLocalName() == null
                    ? element.getTagName() : element.getLocalName())) {
                found.add(element);
            }
        }
        return found;
    }

    private static Document parse(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("cannot parse " + Repository.relative(file) + ": " + e.getMessage(), e);
        }
    }
}
