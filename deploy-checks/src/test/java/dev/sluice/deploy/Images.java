package dev.sluice.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Container image references, and the images the project builds itself. */
final class Images {

    /** {@code docker build ... -t "sluice/connect:${tag}"} in docker/build-images.sh. */
    private static final Pattern BUILD_TAG = Pattern.compile("-t\\s+\"?([a-z0-9][a-z0-9._/-]*):");

    private Images() {
    }

    /**
     * The image without tag or digest: {@code sluice/connect} of {@code sluice/connect:1.0} and of
     * {@code sluice/connect:${TAG:-1.0}}.
     */
    static String name(String image) {
        String plain = plain(image);
        int colon = plain.lastIndexOf(':');
        return colon > plain.lastIndexOf('/') ? plain.substring(0, colon) : plain;
    }

    /** The tag, or null. */
    static String tag(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = withoutDigest.indexOf(':', withoutDigest.lastIndexOf('/') + 1);
        return colon < 0 ? null : withoutDigest.substring(colon + 1);
    }

    /** Without digest, and with compose variables (which may hold ':') replaced by a word. */
    private static String plain(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        return withoutDigest.replaceAll("\\$\\{[^}]*}", "variable");
    }

    /** Names of the images docker/build-images.sh builds. */
    static Set<String> builtByScript() {
        Set<String> names = new TreeSet<>();
        Path script = Repository.path("docker/build-images.sh");
        if (Files.isRegularFile(script)) {
            Matcher matcher = BUILD_TAG.matcher(Repository.read(script));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /** Names of the images docker-compose.yml builds (services with both build and image). */
    static Set<String> builtByCompose(Map<String, Object> compose) {
        Set<String> names = new TreeSet<>();
        Tree.map(compose, "services").forEach((service, definition) -> {
            String image = Tree.text(definition, "image");
            if (Tree.at(definition, "build") != null && image != null) {
                names.add(name(image));
            }
        });
        return names;
    }
}
