package dev.ticketing.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports, for servers that must keep theirs across restarts. */
public final class Ports {

    private Ports() {
    }

    /** A loopback port that was free a moment ago; the caller binds it right away. */
    public static int freeLoopbackPort() {
        return freeLoopbackPorts(1).getFirst();
    }

    /** {@code count} distinct loopback ports that were free a moment ago (all held open together while chosen). */
    public static List<Integer> freeLoopbackPorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                socket.setReuseAddress(true);
                sockets.add(socket);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        } finally {
            sockets.forEach(Ports::closeQuietly);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // The port is given back either way.
        }
    }
}
