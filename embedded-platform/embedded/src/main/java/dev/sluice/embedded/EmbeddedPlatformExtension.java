package dev.sluice.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Executable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

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
 * shared by every test class of the run; all stop when the run ends. The servers one method asks for start at the
 * same time: most of a start is waiting for a process to come up. State goes to
 * {@code target/embedded-platform/run-*} (or the directory of system property {@code sluice.test.state.dir}).
 */
public final class EmbeddedPlatformExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedPlatformExtension.class);

    private static final Map<Class<?>, Function<EmbeddedPlatform, Object>> COMPONENTS = Map.of(
            KafkaBroker.class, EmbeddedPlatform::kafka,
            ConnectWorker.class, EmbeddedPlatform::connect,
            PostgresServer.class, EmbeddedPlatform::postgres,
            S3Server.class, EmbeddedPlatform::s3,
            RegistryServer.class, EmbeddedPlatform::registry,
            EmbeddedPlatform.class, platform -> platform);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return COMPONENTS.containsKey(parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        EmbeddedPlatform platform = extensionContext.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(EmbeddedPlatform.class, key -> new EmbeddedPlatform(newStateDir()),
                        EmbeddedPlatform.class);
        if (parameterContext.getIndex() == firstServerParameter(parameterContext.getDeclaringExecutable())) {
            startTogether(platform, parameterContext.getDeclaringExecutable());
        }
        return COMPONENTS.get(parameterContext.getParameter().getType()).apply(platform);
    }

    /** Starts every server {@code executable} asks for, each in a thread of its own; returns once all are up. */
    private static void startTogether(EmbeddedPlatform platform, Executable executable) {
        List<CompletableFuture<Object>> starts = Arrays.stream(executable.getParameterTypes())
                .filter(type -> type != EmbeddedPlatform.class).map(COMPONENTS::get).filter(c -> c != null)
                .distinct().map(component -> CompletableFuture.supplyAsync(() -> component.apply(platform),
                        EmbeddedPlatformExtension::startThread))
                .toList();
        RuntimeException failure = null;
        for (CompletableFuture<Object> start : starts) {
            try {
                start.join();
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static int firstServerParameter(Executable executable) {
        Class<?>[] types = executable.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] != EmbeddedPlatform.class && COMPONENTS.containsKey(types[i])) {
                return i;
            }
        }
        return -1;
    }

    private static void startThread(Runnable start) {
        Thread thread = new Thread(start, "embedded-platform-start");
        thread.setDaemon(true);
        thread.start();
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
