package com.example.lamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.lamp.qmp.CommandInfo;
import com.example.lamp.qmp.Echo;
import com.example.lamp.qmp.EchoArguments;
import com.example.lamp.qmp.Event;
import com.example.lamp.qmp.LampInfo;
import com.example.lamp.qmp.QmpClient;
import com.example.lamp.qmp.SetLampArguments;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.client.QmpBlockingClient;
import org.qapi4j.qmp.client.QmpConnection;
import org.qapi4j.qmp.client.QmpEventListener;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.server.QmpServer;
import tools.jackson.databind.node.ObjectNode;

/**
 * The lamp's server on a Unix socket, driven by the client generated from the same schema:
 * commands, an event, a handler's error, QEMU's argument errors, and CommandNotFound for the
 * module it does not serve.
 */
class LampServerTest {
    @TempDir
    Path dir;

    private QmpServer server;
    private QmpConnection qmp;
    private QmpClient client;
    private QmpBlockingClient blocking;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        Path socket = dir.resolve("lamp.sock");
        server = LampServer.start(socket);
        qmp = QmpConnection.builder().unix(socket).commandTimeout(Duration.ofSeconds(10))
                .eventListener(QmpEventListener.typed(Event::decode, events::add))
                .connect().get(10, TimeUnit.SECONDS);
        client = new QmpClient(qmp);
        blocking = new QmpBlockingClient(qmp);
    }

    @AfterEach
    void stop() {
        qmp.close();
        server.close();
    }

    @Test
    void switchesTheLampAndSaysSo() throws Exception {
        assertEquals(new LampInfo(false, 100), blocking.await(client.queryLamp()));
        blocking.await(client.setLamp(new SetLampArguments(true, 40)));
        assertEquals(new Event.LampChanged(true, 40), events.poll(10, TimeUnit.SECONDS));
        assertEquals(new LampInfo(true, 40), blocking.await(client.queryLamp()));
    }

    @Test
    void echoServesTheAddedCommand() {
        Echo echo = blocking.await(client.echo(new EchoArguments("la", 3)));
        assertEquals("lalala", echo.text());
        QmpException error = assertThrows(QmpException.class,
                () -> blocking.execute("echo", (ObjectNode) Json.parse("{\"text\": \"la\", \"times\": 300}")));
        assertEquals("Parameter 'times' expects uint8_t", error.error().description());
    }

    @Test
    void handlersAndTheDispatcherAnswerErrors() {
        QmpException tooBright = assertThrows(QmpException.class,
                () -> blocking.await(client.setLamp(new SetLampArguments(true, 200))));
        assertEquals(ErrorClass.GENERIC_ERROR, tooBright.error().errorClass());
        assertEquals("Parameter 'brightness' expects a percentage, at most 100", tooBright.error().description());

        QmpException missing = assertThrows(QmpException.class,
                () -> blocking.execute("set-lamp", (ObjectNode) Json.parse("{\"brightness\": 5}")));
        assertEquals("Parameter 'on' is missing", missing.error().description());
        assertTrue(events.isEmpty(), "no event for a command that failed");
    }

    @Test
    void aModuleNotServedAnswersCommandNotFound() {
        QmpException error = assertThrows(QmpException.class, () -> blocking.await(client.powerOff()));
        assertEquals(ErrorClass.COMMAND_NOT_FOUND, error.error().errorClass());
        assertEquals("The command power-off has not been found", error.error().description());

        // query-commands (answered by the runtime, as the schema has it) lists what is served.
        List<String> served = blocking.await(client.queryCommands()).stream().map(CommandInfo::name).toList();
        assertTrue(served.containsAll(List.of("query-lamp", "set-lamp", "echo", "query-qmp-schema")), served::toString);
        assertFalse(served.contains("power-off"), served::toString);
    }
}
