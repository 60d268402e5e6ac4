package org.qapi4j.qmp.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.monitor.MonitorConnection;
import org.qapi4j.qmp.monitor.MonitorHub;
import org.qapi4j.qmp.monitor.MonitorSession;
import org.qapi4j.qmp.wire.JsonMessage;
import tools.jackson.databind.JsonNode;

/**
 * A QMP monitor on a socket: the handler at the end of a connection's pipeline, between the
 * input decoder and the hub's {@link MonitorSession}, which holds all of QMP's logic. What is
 * left here is the socket's part: Netty's auto-read as the switch for suspended input, writes
 * with one flush per batch, and the bound on a client's unread output.
 */
final class ChannelMonitor extends ChannelInboundHandlerAdapter implements MonitorConnection {
    private final MonitorHub hub;
    private final Channel channel;
    private final String id;
    private final long maxUnreadOutput;
    private @Nullable MonitorSession session;

    /** I/O thread only. */
    private boolean overflowed;

    ChannelMonitor(MonitorHub hub, Channel channel, String id, long maxUnreadOutput) {
        this.hub = hub;
        this.channel = channel;
        this.id = id;
        this.maxUnreadOutput = maxUnreadOutput;
    }

    /** The session, once the connection is active. */
    @Nullable MonitorSession session() {
        return session;
    }

    /** Sends what was produced for the client until now, then closes. */
    void closeGracefully() {
        MonitorSession s = session;
        if (s != null) {
            s.closeGracefully();
        } else {
            channel.close();
        }
    }

    // ---- Netty's side ------------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        try {
            session = hub.open(this, id);
        } catch (Throwable t) {
            QmpServer.LOG.log(Level.ERROR, id + ": cannot greet", t);
            ctx.close();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) {
            session.disconnected();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            JsonMessage message = toMessage(msg);
            if (message != null && session != null) {
                session.received(message);
            }
        } catch (Throwable t) {
            QmpServer.LOG.log(Level.ERROR, id + ": failed to handle input", t);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private @Nullable JsonMessage toMessage(Object msg) {
        if (msg instanceof JsonMessage message) {
            return message;
        }
        if (msg instanceof JsonNode node) {
            return new JsonMessage.Value(node);
        }
        QmpServer.LOG.log(Level.WARNING, () -> id + ": the decoder passed " + msg.getClass().getName()
                + ", not a JsonMessage; ignored");
        return null;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!channel.isWritable()) {
            overflow();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            QmpServer.LOG.log(Level.DEBUG, () -> id + ": " + cause);
        } else {
            QmpServer.LOG.log(Level.WARNING, id + ": closing after an error in the pipeline", cause);
        }
        ctx.close();
    }

    // ---- the session's side ------------------------------------------------------------------

    @Override
    public boolean inIoThread() {
        return channel.eventLoop().inEventLoop();
    }

    @Override
    public void executeOnIo(Runnable task) {
        channel.eventLoop().execute(task);
    }

    @Override
    public void setReading(boolean reading) {
        if (!reading || channel.isActive()) {
            channel.config().setAutoRead(reading);
        }
    }

    @Override
    public void write(List<byte[]> lines) {
        if (overflowed || !channel.isActive()) {
            return;
        }
        for (byte[] line : lines) {
            channel.write(Unpooled.wrappedBuffer(line), channel.voidPromise());
        }
        channel.flush();
        if (!channel.isWritable()) {
            overflow();
        }
    }

    @Override
    public void close() {
        if (channel.isActive() && !overflowed) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** A client that leaves more than the limit unread is disconnected. */
    private void overflow() {
        if (overflowed) {
            return;
        }
        overflowed = true;
        long pending = channel.unsafe().outboundBuffer() == null ? -1
                : channel.unsafe().outboundBuffer().totalPendingWriteBytes();
        QmpServer.LOG.log(Level.WARNING, () -> id + ": the client leaves " + pending
                + " bytes of output unread, more than " + maxUnreadOutput + ": disconnecting it");
        channel.close();
    }
}
