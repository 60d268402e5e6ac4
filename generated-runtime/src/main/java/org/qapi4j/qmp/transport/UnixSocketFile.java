package org.qapi4j.qmp.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What both transports do to the file system around a Unix-socket listener. */
final class UnixSocketFile {
    /** QMP has no authentication: whoever can connect can stop the machine. */
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private UnixSocketFile() {}

    /**
     * The absolute path to bind, after refusing to replace what is plainly not a stale socket:
     * a regular file or a directory there is somebody's data, a socket there is a server that
     * went away (or one that is meant to be replaced, as QEMU replaces it).
     */
    static Path target(Path path) throws IOException {
        Path socket = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
        if (Files.isDirectory(socket, LinkOption.NOFOLLOW_LINKS)
                || Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("will not replace " + socket + ": not a socket");
        }
        return socket;
    }

    /** {@code bootstrap}, checked to have no channel yet: the listener sets its own. */
    static ServerBootstrap unbound(ServerBootstrap bootstrap) {
        if (bootstrap.config().channelFactory() != null) {
            throw new IllegalArgumentException("bindUnix makes the listening channel itself: "
                    + "leave channel(...) and channelFactory(...) of the bootstrap unset");
        }
        return bootstrap;
    }

    /** Wraps a failure to bind as the server reports it. */
    static IOException cannotListen(Path socket, Throwable cause) {
        if (cause instanceof IOException io) {
            return new IOException("cannot listen on " + socket + ": " + io.getMessage(), io);
        }
        return new IOException("cannot listen on " + socket, cause);
    }

    /** Throws what {@code future} failed with, as {@link #cannotListen}. */
    static Channel await(ChannelFuture future, Path socket) throws IOException {
        future.awaitUninterruptibly();
        if (!future.isSuccess()) {
            throw cannotListen(socket, future.cause());
        }
        return future.channel();
    }

    /**
     * Removes {@code socket} when {@code listener} closes, but only if it is still the file
     * this listener made: a server started since at the same path keeps its socket. (Netty's
     * own clean-up does not apply: the epoll listener is made from a file descriptor and does
     * not know its path, and the NIO one knows only the temporary name.)
     */
    static void removeOnClose(Channel listener, Path socket) {
        @Nullable Object made = fileKey(socket);
        listener.closeFuture().addListener(closed -> {
            Object now = fileKey(socket);
            if (made != null && made.equals(now)) {
                try {
                    Files.deleteIfExists(socket);
                } catch (IOException e) {
                    System.getLogger(UnixSocketFile.class.getName()).log(System.Logger.Level.WARNING,
                            "cannot remove QMP socket " + socket + ": " + e);
                }
            }
        });
    }

    /** Device and inode, where the platform has them; null when the file is gone. */
    private static @Nullable Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
