package org.qapi4j.qmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.monitor.QmpVersion;
import org.qapi4j.qmp.testing.LogCapture;

/**
 * Many monitors at once, and a client that never reads: 1,000 concurrent connections each
 * negotiate and run 20 pipelined commands, every answer checked to the byte and in order,
 * while one more client keeps sending commands with 64 KiB answers and reads nothing. The
 * others must all finish, and that one must be disconnected once its unread output passes the
 * bound (16 MiB, the default).
 */
class QmpServerLoadTest {
    private static final int MONITORS = 1000;
    private static final int COMMANDS = 20;

    @Test
    void thousandMonitorsWhileOneClientNeverReads() throws Exception {
        Path dir = Files.createTempDirectory("qmpl");
        TestCommands commands = new TestCommands();
        QmpServer server = QmpServer.builder(commands).version(QmpVersion.QEMU_7_2)
                .unix(dir.resolve("load.sock"))
                
                .build();
        commands.attach(server);
        server.start();
        SocketAddress address = server.addresses().get(0);
        EventLoopGroup clients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (LogCapture log = LogCapture.of("org.qapi4j")) {
            // The client that never reads.
            AtomicLong hostileSent = new AtomicLong();
            AtomicReference<Throwable> hostileEnd = new AtomicReference<>();
            CountDownLatch hostileDone = new CountDownLatch(1);
            Thread hostile = new Thread(() -> {
                try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    channel.connect(address);
                    write(channel, "{\"execute\": \"qmp_capabilities\"}");
                    byte[] command = "{\"execute\": \"x-big\", \"arguments\": {\"size\": 65536}}\n".getBytes(StandardCharsets.US_ASCII);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (System.nanoTime() < deadline) {
                        ByteBuffer buffer = ByteBuffer.wrap(command);
                        while (buffer.hasRemaining()) {
                            channel.write(buffer);
                        }
                        hostileSent.incrementAndGet();
                    }
                    hostileEnd.set(new AssertionError("still connected after 60 s"));
                } catch (IOException e) {
                    hostileEnd.set(e);
                } finally {
                    hostileDone.countDown();
                }
            }, "never-reads");
            hostile.setDaemon(true);
            hostile.start();

            // The thousand.
            CountDownLatch finished = new CountDownLatch(MONITORS);
            Queue<String> problems = new ConcurrentLinkedQueue<>();
            AtomicLong negotiatedAt = new AtomicLong();
            CountDownLatch negotiated = new CountDownLatch(MONITORS);
            long start = System.nanoTime();
            Bootstrap bootstrap = new Bootstrap().group(clients).channel(NioDomainSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new LineBasedFrameDecoder(1 << 20, false, true),
                                    new Client(finished, negotiated, problems));
                        }
                    });
            List<Channel> channels = new ArrayList<>();
            for (int i = 0; i < MONITORS; i++) {
                channels.add(bootstrap.connect(address).sync().channel());
            }
            long connected = System.nanoTime();
            assertThat(negotiated.await(60, TimeUnit.SECONDS)).as("all negotiated").isTrue();
            negotiatedAt.set(System.nanoTime());
            boolean allDone = finished.await(120, TimeUnit.SECONDS);
            long end = System.nanoTime();
            assertThat(problems).as("wrong answers").isEmpty();
            assertThat(allDone).as("%d of %d monitors finished", MONITORS - finished.getCount(), MONITORS).isTrue();

            assertThat(hostileDone.await(60, TimeUnit.SECONDS)).as("the client that never reads was disconnected").isTrue();
            assertThat(hostileEnd.get()).isInstanceOf(IOException.class);
            long hostileBytes = hostileSent.get() * 65_549L;
            assertThat(hostileBytes).as("it was cut off once its unread output passed 16 MiB, not before")
                    .isGreaterThan(16L << 20);
            assertThat(log.warningTexts()).as("what the server logged").singleElement().asString()
                    .startsWith("WARNING ").contains("the client leaves ").endsWith("more than 16777216: disconnecting it");

            System.out.printf("LOAD: %d monitors connected in %d ms, negotiated after %d ms; %d commands answered in %d ms "
                            + "(%.0f commands/s); the client that never reads sent %d commands (~%d MiB of answers) before "
                            + "it was disconnected%n",
                    MONITORS, (connected - start) / 1_000_000, (negotiatedAt.get() - start) / 1_000_000,
                    MONITORS * COMMANDS, (end - start) / 1_000_000,
                    MONITORS * COMMANDS / ((end - start) / 1e9), hostileSent.get(), hostileBytes >> 20);
            for (Channel c : channels) {
                c.close();
            }
            assertThat(commands.wrongThread.get()).isZero();
        } finally {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            server.close();
            Files.deleteIfExists(dir);
        }
    }

    private static void write(SocketChannel channel, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** One well-behaved client: greeting, negotiation, then 20 pipelined commands, in order. */
    private static final class Client extends SimpleChannelInboundHandler<ByteBuf> {
        private final CountDownLatch finished;
        private final CountDownLatch negotiated;
        private final Queue<String> problems;
        private int received;

        Client(CountDownLatch finished, CountDownLatch negotiated, Queue<String> problems) {
            this.finished = finished;
            this.negotiated = negotiated;
            this.problems = problems;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
            String text = line.toString(StandardCharsets.US_ASCII);
            int n = received++;
            if (n == 0) {
                check(text.equals(Transcript.GREETING + "\r\n"), text);
                send(ctx, "{\"execute\": \"qmp_capabilities\"}");
            } else if (n == 1) {
                check(text.equals("{\"return\": {}}\r\n"), text);
                negotiated.countDown();
                StringBuilder all = new StringBuilder();
                for (int i = 1; i <= COMMANDS; i++) {
                    all.append("{\"execute\": \"x-count\", \"arguments\": {\"n\": ").append(i).append("}, \"id\": ").append(i).append('}');
                }
                send(ctx, all.toString());
            } else {
                int i = n - 1;
                check(text.equals("{\"return\": " + i + ", \"id\": " + i + "}\r\n"), text);
                if (i == COMMANDS) {
                    finished.countDown();
                }
            }
        }

        private void check(boolean ok, String text) {
            if (!ok) {
                problems.add("answer " + received + ": " + text);
            }
        }

        private static void send(ChannelHandlerContext ctx, String text) {
            ctx.writeAndFlush(Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            problems.add(cause.toString());
            ctx.close();
        }
    }
}
