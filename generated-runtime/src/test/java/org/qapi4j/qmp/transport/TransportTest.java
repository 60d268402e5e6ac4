package org.qapi4j.qmp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which transport is chosen, and how a Unix-socket listener is made with each. */
class TransportTest {
    private final List<EventLoopGroup> groups = new ArrayList<>();
    private Path dir;

    @BeforeEach
    void makeDirectory() throws IOException {
        dir = Files.createTempDirectory("qmpt");
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (EventLoopGroup group : groups) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @Test
    void epollOnLinuxAndGroupsSayWhichTheyRun() {
        assumeTrue(isLinux());
        assertThat(Transport.best()).as("the native transport loads on Linux").isEqualTo(Transport.EPOLL);
        for (Transport transport : Transport.values()) {
            assertThat(Transport.of(group(transport))).contains(transport);
        }
    }

    @Test
    void epollListensAtItsRealPathOwnerOnly() throws Exception {
        assumeTrue(Transport.best() == Transport.EPOLL);
        Path socket = dir.resolve("real.sock");
        Channel listener = Transport.EPOLL.bindUnix(greeter(Transport.EPOLL), socket);
        assertThat(listeningPaths()).as("/proc/net/unix names the real path").contains(socket.toString());
        assertThat(mode(socket)).isEqualTo("rw-------");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList()).containsExactly("real.sock");
        assertThat(greeting(socket)).isEqualTo("hi");
        listener.close().syncUninterruptibly();
        assertThat(Files.exists(socket)).as("removed on close").isFalse();
        assertThat(listeningPaths()).doesNotContain(socket.toString());
    }

    @Test
    void epollLetsNobodyInBeforeTheSocketIsOwnerOnly() throws Exception {
        assumeTrue(Transport.best() == Transport.EPOLL);
        Path socket = dir.resolve("early.sock");
        List<String> seen = new ArrayList<>();
        Channel listener = EpollUnixListener.bind(greeter(Transport.EPOLL), UnixSocketFile.target(socket), () -> {
            // Bound and chmodded, not listening: the file is there, the door is shut.
            seen.add(mode(socket));
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                assertThatThrownBy(() -> client.connect(UnixDomainSocketAddress.of(socket)))
                        .isInstanceOf(ConnectException.class).hasMessageContaining("refused");
            }
            seen.add("refused");
        });
        try {
            assertThat(seen).containsExactly("rw-------", "refused");
            assertThat(greeting(socket)).isEqualTo("hi");
        } finally {
            listener.close().syncUninterruptibly();
        }
    }

    @Test
    void nioListensOwnerOnlyUnderATemporaryName() throws Exception {
        Path socket = dir.resolve("nio.sock");
        Channel listener = Transport.NIO.bindUnix(greeter(Transport.NIO), socket);
        assertThat(mode(socket)).isEqualTo("rw-------");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList())
                .as("no temporary files left").containsExactly("nio.sock");
        assertThat(greeting(socket)).isEqualTo("hi");
        if (isLinux()) {
            // The documented limit: the kernel keeps the name the socket was bound under.
            assertThat(listeningPaths()).doesNotContain(socket.toString());
        }
        listener.close().syncUninterruptibly();
        assertThat(Files.exists(socket)).as("removed on close").isFalse();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void replacesAStaleSocketButNotAFileOrDirectory(Transport transport) throws Exception {
        assumeTrue(transport == Transport.NIO || Transport.best() == Transport.EPOLL);
        Path socket = dir.resolve("stale.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socket)); // the JDK leaves the file behind
        }
        Channel listener = transport.bindUnix(greeter(transport), socket);
        try {
            assertThat(greeting(socket)).isEqualTo("hi");
        } finally {
            listener.close().syncUninterruptibly();
        }
        Files.writeString(socket, "precious");
        assertThatThrownBy(() -> transport.bindUnix(greeter(transport), socket))
                .isInstanceOf(IOException.class).hasMessage("will not replace " + socket + ": not a socket");
        assertThat(Files.readString(socket)).isEqualTo("precious");
        Files.delete(socket);
        Files.createDirectory(socket);
        assertThatThrownBy(() -> transport.bindUnix(greeter(transport), socket))
                .isInstanceOf(IOException.class).hasMessageContaining("not a socket");
        Files.delete(socket);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingLeavesASuccessorsSocketAlone(Transport transport) throws Exception {
        assumeTrue(transport == Transport.NIO || Transport.best() == Transport.EPOLL);
        Path socket = dir.resolve("shared.sock");
        Channel first = transport.bindUnix(greeter(transport), socket);
        Channel second = transport.bindUnix(greeter(transport), socket); // replaces the first's file
        first.close().syncUninterruptibly();
        assertThat(Files.exists(socket)).isTrue();
        assertThat(greeting(socket)).isEqualTo("hi");
        second.close().syncUninterruptibly();
        assertThat(Files.exists(socket)).isFalse();
    }

    @Test
    void aBootstrapWithAChannelIsRefused() {
        ServerBootstrap bootstrap = greeter(Transport.NIO).channel(Transport.NIO.unixServerChannel());
        assertThatThrownBy(() -> Transport.NIO.bindUnix(bootstrap, dir.resolve("s")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leave channel(...)");
    }

    /** (NIO binds a short temporary name and renames it, so a long path does not stop it.) */
    @Test
    void epollReportsAPathTooLongWithThePath() {
        assumeTrue(Transport.best() == Transport.EPOLL);
        Path socket = dir.resolve("x".repeat(120));
        assertThatThrownBy(() -> Transport.EPOLL.bindUnix(greeter(Transport.EPOLL), socket))
                .isInstanceOf(IOException.class).hasMessageStartingWith("cannot listen on " + socket);
        assertThat(Files.exists(socket)).isFalse();
    }

    // ---------------------------------------------------------------------------------------

    private EventLoopGroup group(Transport transport) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        groups.add(group);
        return group;
    }

    /** A server that says "hi" and hangs up. */
    private ServerBootstrap greeter(Transport transport) {
        return new ServerBootstrap().group(group(transport))
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(Unpooled.copiedBuffer("hi", StandardCharsets.US_ASCII))
                                .addListener(ChannelFutureListener.CLOSE);
                    }
                });
    }

    private static String greeting(Path socket) throws IOException {
        try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            client.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer buffer = ByteBuffer.allocate(16);
            while (client.read(buffer) >= 0) {
                // until the server hangs up
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
        }
    }

    /** The paths of listening Unix sockets, as the kernel reports them (flag 00010000: __SO_ACCEPTCON). */
    static List<String> listeningPaths() throws IOException {
        List<String> paths = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("/proc/net/unix"));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 8 && fields[3].equals("00010000")) {
                paths.add(fields[7]);
            }
        }
        return paths;
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }
}
