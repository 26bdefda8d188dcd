package dev.sluice.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks on the loopback address, where every embedded server binds. */
public final class Ports {

    /** The only address the embedded platform binds. */
    public static final String HOST = "127.0.0.1";

    private Ports() {
    }

    /** A port that is free on 127.0.0.1 right now (the kernel's choice). */
    public static int freePort() {
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
