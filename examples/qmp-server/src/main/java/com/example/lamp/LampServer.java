package com.example.lamp;

import com.example.lamp.qmp.SchemaCommands;
import com.example.lamp.qmp.SchemaIntrospection;
import java.io.IOException;
import java.nio.file.Path;
import org.qapi4j.qmp.server.QmpServer;

/** Serves the lamp over QMP on a Unix socket: {@code LampServer [SOCKET]}, until Ctrl-C. */
public final class LampServer {
    private LampServer() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path socket = Path.of(args.length > 0 ? args[0] : "lamp.sock");
        QmpServer server = start(socket);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("QMP server listening on " + socket.toAbsolutePath() + " (Ctrl-C stops it)");
        Thread.currentThread().join();
    }

    /**
     * The lamp's server: the schema's introspection (what query-qmp-schema answers), the one
     * module it implements, a Unix socket. Commands of modules it does not serve answer
     * CommandNotFound.
     */
    public static QmpServer start(Path socket) throws IOException {
        Handlers handlers = new Handlers();
        return QmpServer.builder(SchemaIntrospection.schema())
                .serve(SchemaCommands.dispatcher(handlers))
                .unix(socket)
                .start();
    }
}
