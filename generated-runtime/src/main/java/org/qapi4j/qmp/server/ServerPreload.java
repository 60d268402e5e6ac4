package org.qapi4j.qmp.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.bootstrap.ServerBootstrap;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.monitor.QmpVersion;
import org.qapi4j.qmp.transport.Transport;
import org.qapi4j.qmp.wire.QemuJson;

/**
 * Loads and initialises, without opening anything, the code a {@link QmpServer}'s start and its
 * first greeting run first: Netty's native transport (which copies a shared library out of its
 * jar and loads it), its buffer allocator and bootstrap classes, and the JSON nodes and writer
 * of the greeting. An application that has other start-up work can call {@link #run()} on
 * another thread meanwhile, so that a machine with a second core does this while the first
 * does the rest; the server's own start then finds it done (the JVM initialises each class
 * once, and a thread that needs a class another is initialising waits for it).
 */
public final class ServerPreload {
    private ServerPreload() {}

    /** Idempotent, thread-safe, and without effects other than loaded classes. */
    public static void run() {
        Transport transport = Transport.best();
        transport.ioHandlerFactory();
        load(ServerBootstrap.class);
        load(MultiThreadIoEventLoopGroup.class);
        load(transport.unixServerChannel());
        load(ByteBufAllocator.DEFAULT.getClass());
        QemuJson.line(QmpVersion.QAPI4J.toJson());
        Json.array();
    }

    private static void load(Class<?> type) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(type + " was loaded, and is not found", e);
        }
    }
}
