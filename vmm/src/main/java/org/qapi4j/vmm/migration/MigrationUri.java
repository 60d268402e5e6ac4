package org.qapi4j.vmm.migration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a migration goes or comes from: {@code tcp:HOST:PORT} or {@code unix:PATH}, the two URIs
 * of QEMU's that the VMM speaks. Both sides move the same stream over a stream socket.
 */
public sealed interface MigrationUri {
    /** The address to connect to or listen on. */
    SocketAddress address();

    /** The URI as given. */
    String text();

    record Tcp(String text, String host, int port) implements MigrationUri {
        @Override
        public SocketAddress address() {
            return new InetSocketAddress(host, port);
        }
    }

    record Unix(String text, Path path) implements MigrationUri {
        @Override
        public SocketAddress address() {
            return UnixDomainSocketAddress.of(path);
        }
    }

    /**
     * Parses {@code uri}; null when it is neither {@code tcp:} nor {@code unix:}, for which the
     * caller answers QEMU's error.
     *
     * @throws IllegalArgumentException when a tcp URI's port or host is malformed, with why
     */
    static MigrationUri parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        if (uri.startsWith("tcp:")) {
            String rest = uri.substring("tcp:".length());
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("error parsing address '" + rest + "'");
            }
            String host = rest.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("error parsing port in address '" + rest + "'");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("error parsing port in address '" + rest + "'");
            }
            return new Tcp(uri, host.isEmpty() ? "0.0.0.0" : host, port);
        }
        if (uri.startsWith("unix:")) {
            return new Unix(uri, Path.of(uri.substring("unix:".length())));
        }
        return null;
    }

    /** Connects, blocking: the outgoing side. */
    default SocketChannel connect() throws IOException {
        SocketChannel channel = this instanceof Unix ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            channel.connect(address());
            if (this instanceof Tcp) {
                channel.socket().setTcpNoDelay(true);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * An accepted connection, set up as the outgoing side sets up its own: no Nagle delay, so
     * that COLO's small messages leave at once (QEMU's COLO channel lacks this and stalls 24-44
     * ms on each).
     */
    public static SocketChannel accepted(SocketChannel channel) throws IOException {
        if (channel.getLocalAddress() instanceof InetSocketAddress) {
            channel.socket().setTcpNoDelay(true);
        }
        return channel;
    }

    /** Listens: the incoming side. A stale Unix socket file at the path is replaced, as QEMU does. */
    default ServerSocketChannel listen() throws IOException {
        if (this instanceof Unix unix) {
            Files.deleteIfExists(unix.path());
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(address(), 1);
            return server;
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        server.socket().setReuseAddress(true);
        server.bind(address(), 1);
        return server;
    }
}
