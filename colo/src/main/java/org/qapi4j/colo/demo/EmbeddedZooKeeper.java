package org.qapi4j.colo.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.zookeeper.Version;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * A standalone ZooKeeper server in this JVM, for the demonstration's arbiter when no ensemble
 * is given: ZooKeeper's own server code (the {@code zookeeper} artifact the arbiter's client
 * needs anyway), on a free loopback port, its snapshots and transaction log in a folder of its
 * own. {@link #close} stops it and removes that folder.
 *
 * <p>The tick is {@value #TICK_MILLIS} ms because ZooKeeper expires sessions on tick boundaries
 * and only accepts session timeouts of 2 to 20 ticks by default: with its usual 2 s tick a
 * session could not be shorter than 4 s, and the demonstration's failover would wait for that.
 * The maximum is raised so that any {@code --session-timeout} the demo accepts is granted as asked.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    public static final int TICK_MILLIS = 100;
    private static final int MAX_SESSION_MILLIS = 60_000;
    private static final int MAX_CLIENT_CONNECTIONS = 60;

    private final Path dir;
    private final ZooKeeperServer server;
    private final ServerCnxnFactory connections;

    private EmbeddedZooKeeper(Path dir, ZooKeeperServer server, ServerCnxnFactory connections) {
        this.dir = dir;
        this.server = server;
        this.connections = connections;
    }

    /** Starts a server whose files live in {@code dir} (created; removed by {@link #close}). */
    public static EmbeddedZooKeeper start(Path dir) throws IOException {
        Files.createDirectories(dir);
        ZooKeeperServer server = new ZooKeeperServer(dir.toFile(), dir.toFile(), TICK_MILLIS);
        server.setMaxSessionTimeout(MAX_SESSION_MILLIS);
        // ZooKeeper's NIO factory installs a default uncaught-exception handler that logs through
        // SLF4J, which is silent here (slf4j-nop): the demo's own threads would then die unheard.
        Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
        ServerCnxnFactory connections;
        try {
            connections = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), MAX_CLIENT_CONNECTIONS);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(handler);
        }
        try {
            connections.startup(server);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connections.shutdown();
            throw new IOException("interrupted while starting ZooKeeper", e);
        } catch (IOException | RuntimeException | Error e) {
            // Its threads would otherwise keep the JVM alive (one of them is not a daemon).
            connections.shutdown();
            throw e;
        }
        return new EmbeddedZooKeeper(dir, server, connections);
    }

    /** Where clients connect: {@code 127.0.0.1:PORT}. */
    public String connectString() {
        return "127.0.0.1:" + connections.getLocalPort();
    }

    /** ZooKeeper's version, e.g. {@code 3.9.5}. */
    public static String version() {
        String full = Version.getFullVersion();
        int dash = full.indexOf('-');
        return dash < 0 ? full : full.substring(0, dash);
    }

    @Override
    public void close() throws IOException {
        // The connections first, so that no client request reaches a server being shut down.
        connections.shutdown();
        server.shutdown();
        server.getTxnLogFactory().close();
        Folders.delete(dir);
    }
}
