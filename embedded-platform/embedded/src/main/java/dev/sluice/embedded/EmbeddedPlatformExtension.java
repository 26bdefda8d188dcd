package dev.sluice.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests the real servers of the embedded platform as parameters:
 *
 * <pre>{@code
 * @ExtendWith(EmbeddedPlatformExtension.class)
 * class OrdersIT {
 *     @Test
 *     void arrives(KafkaBroker kafka, PostgresServer postgres) { ... }
 * }
 * }</pre>
 *
 * Supported parameter types: {@link KafkaBroker}, {@link ConnectWorker}, {@link PostgresServer}, {@link S3Server},
 * {@link RegistryServer} and {@link EmbeddedPlatform}. Each server starts on first use, once per test JVM, and is
 * shared by every test class of the run; all stop when the run ends. State goes to
 * {@code target/embedded-platform/run-*} (or the directory of system property {@code sluice.test.state.dir}).
 */
public final class EmbeddedPlatformExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedPlatformExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == EmbeddedPlatform.class || EmbeddedPlatform.SERVER_TYPES.contains(type);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        EmbeddedPlatform platform = extensionContext.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(EmbeddedPlatform.class, key -> new EmbeddedPlatform(newStateDir()),
                        EmbeddedPlatform.class);
        // All the servers this method takes start together rather than one per parameter in turn.
        platform.startTogether(Arrays.asList(parameterContext.getDeclaringExecutable().getParameterTypes()));
        Class<?> type = parameterContext.getParameter().getType();
        return type == EmbeddedPlatform.class ? platform : platform.server(type);
    }

    private static Path newStateDir() {
        try {
            Path base = Path.of(System.getProperty("sluice.test.state.dir", "target/embedded-platform"));
            return Files.createTempDirectory(Files.createDirectories(base), "run-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the test state directory", e);
        }
    }
}
