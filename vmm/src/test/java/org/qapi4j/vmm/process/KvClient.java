package org.qapi4j.vmm.process;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A client of the kvstore guest's line protocol (vmm/KVSTORE.md), over a real TCP connection to
 * the NIC. Lines are read byte for byte: only {@code \n} ends one. Reads time out after 30 s, or
 * after what {@link #timeout} sets.
 */
public final class KvClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int timeoutMillis = 30_000;

    public KvClient(InetSocketAddress nic) throws IOException {
        socket = new Socket();
        socket.connect(nic, 5000);
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends {@code request} and returns its answer. */
    public String call(String request) throws IOException {
        send(request);
        return answer();
    }

    /** Sends {@code request} without waiting for its answer. */
    public void send(String request) throws IOException {
        sendBytes((request + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code bytes} as they are (no newline added). */
    public void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next answer, without its newline (null when the guest closed the connection). */
    public String answer() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** How long {@link #answer} may wait. */
    public void timeout(int millis) throws IOException {
        timeoutMillis = millis;
        socket.setSoTimeout(millis);
    }

    /** Whether nothing arrives within {@code millis} (what arrives later is still read by {@link #answer}). */
    public boolean silentFor(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            in.mark(1);
            in.read();
            in.reset();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(timeoutMillis);
        }
    }

    /** Closes the sending half: the guest sees the end of the requests, answers still come. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
