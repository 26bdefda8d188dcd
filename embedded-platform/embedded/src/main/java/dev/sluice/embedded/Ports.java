package dev.sluice.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Port checks on the loopback address, where every embedded server binds. */
public final class Ports {

    /** The only address the embedded platform binds. */
    public static final String HOST = "127.0.0.1";

    /**
     * Ports {@link #freePort()} has handed out in this JVM. Components start in parallel and each binds its port a
     * moment after choosing it; the kernel may give a just-closed port to two such choices at once, and the second
     * bind then fails ("already in use": DevstackLifecycleIT saw it in CI). A port is handed out once per JVM.
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int MAX_ATTEMPTS = 100;

    private Ports() {
    }

    /** A port that is free on 127.0.0.1 right now (the kernel's choice), never one this JVM handed out before. */
    public static int freePort() {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int port = kernelChoice();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free port on " + HOST + " that this JVM has not handed out"
                + " already, after " + MAX_ATTEMPTS + " attempts"));
    }

    private static int kernelChoice() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    /** Resolves 0 to a free port and keeps any other value. */
    public static int orFree(int port) {
        return port == 0 ? freePort() : port;
    }

    /**
     * Fails fast, naming the component, when something already listens on the port: a second platform, or a
     * system service, would otherwise surface much later as an obscure bind error in a log.
     */
    public static void requireFree(String component, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new ComponentStartException(component,
                    "port " + HOST + ":" + port + " is already in use; stop what holds it or choose another port");
        }
    }
}
