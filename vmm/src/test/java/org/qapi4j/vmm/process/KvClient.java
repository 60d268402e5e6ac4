package org.qapi4j.vmm.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A client of the kvstore guest's line protocol (vmm/KVSTORE.md), over a real TCP connection. */
public final class KvClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    public KvClient(InetSocketAddress nic) throws IOException {
        socket = new Socket();
        socket.connect(nic, 5000);
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    /** Sends {@code request} without waiting for its answer. */
    public void send(String request) throws IOException {
        out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next answer (null when the guest closed the connection). */
    public String answer() throws IOException {
        return in.readLine();
    }

    public String call(String request) throws IOException {
        send(request);
        return answer();
    }

    /** How long {@link #answer} may wait. */
    public void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
