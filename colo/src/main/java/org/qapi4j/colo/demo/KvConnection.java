package org.qapi4j.colo.demo;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One connection to the kvstore guest's NIC (vmm/KVSTORE.md): a line out, a line back. A closed
 * connection is an {@link EOFException}; reads time out after {@code timeoutMillis}.
 */
public final class KvConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public KvConnection(InetSocketAddress nic, int timeoutMillis) throws IOException {
        socket = new Socket();
        try {
            socket.connect(nic, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code request} and returns its answer. */
    public String call(String request) throws IOException {
        send(request);
        return answer();
    }

    /** Sends {@code request} without waiting for the answer (pipelining). */
    public void send(String request) throws IOException {
        out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next answer line, without its newline. */
    public String answer() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(32);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the connection was closed");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
