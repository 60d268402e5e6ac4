package org.qapi4j.qmp.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import org.qapi4j.qmp.transport.Transport;
import org.qapi4j.qmp.wire.JsonMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Netty side of a client connection: the bootstrap for the connection's transport, and
 * the pipeline that turns the server's bytes into messages ({@link JsonInput}) and sorts them
 * (greeting, event, reply) for the {@link ClientSession}, on the event loop.
 */
final class ClientPipeline {
    private ClientPipeline() {}

    /**
     * A bootstrap for {@code address} on {@code transport}; {@code adopt} learns the channel
     * as soon as it is initialised, which may be before connect() returns to its caller.
     */
    static Bootstrap bootstrap(ClientSession connection, Transport transport, EventLoopGroup group,
            Duration connectTimeout, int maxMessageBytes, Consumer<Channel> adopt) {
        boolean unix = connection.address() instanceof UnixDomainSocketAddress;
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(unix ? transport.unixChannel() : transport.tcpChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        adopt.accept(ch);
                        JsonInput.install(ch.pipeline(), maxMessageBytes);
                        ch.pipeline().addLast("qmp-client", new Inbound(connection));
                    }
                });
        if (!unix) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true);
        }
        return bootstrap;
    }

    /** The address {@code transport}'s channels connect to: Unix addresses differ by transport. */
    static SocketAddress remote(Transport transport, SocketAddress address) {
        return address instanceof UnixDomainSocketAddress u ? transport.unixAddress(u.getPath()) : address;
    }

    static String abbreviate(JsonNode json) {
        String text = json.toString();
        return text.length() <= 500 ? text : text.substring(0, 500) + "... (" + text.length() + " characters)";
    }

    /** Sorts messages by kind; what fits none is logged and dropped, as is what is not JSON. */
    private static final class Inbound extends SimpleChannelInboundHandler<JsonMessage> {
        private final ClientSession connection;

        Inbound(ClientSession connection) {
            super(JsonMessage.class);
            this.connection = connection;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, JsonMessage message) {
            SocketAddress address = connection.address();
            if (message instanceof JsonMessage.ParseError error) {
                QmpConnection.LOG.log(System.Logger.Level.WARNING,
                        "unreadable message from " + address + ": " + error.description());
                return;
            }
            JsonNode json = ((JsonMessage.Value) message).json();
            if (!(json instanceof ObjectNode object)) {
                QmpConnection.LOG.log(System.Logger.Level.WARNING,
                        "ignoring a message that is not an object from " + address + ": " + abbreviate(json));
                return;
            }
            if (object.has("event")) {
                connection.onEvent(object);
            } else if (object.has("return") || object.has("error")) {
                connection.onReply(object);
            } else if (object.has("QMP")) {
                connection.onGreeting(object);
            } else {
                QmpConnection.LOG.log(System.Logger.Level.WARNING,
                        "ignoring a message of unknown kind from " + address + ": " + abbreviate(object));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            String why = cause instanceof TooLongFrameException
                    ? "a message from the server exceeded the limit (" + cause.getMessage() + ")"
                    : cause instanceof IOException
                    ? "the server closed the connection (" + cause.getMessage() + ")"
                    : "reading from the server failed: " + cause;
            connection.shutDown(new QmpConnectionClosedException(why, cause));
        }
    }
}
