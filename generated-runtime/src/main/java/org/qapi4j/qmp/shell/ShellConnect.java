package org.qapi4j.qmp.shell;

import java.io.FileNotFoundException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.client.QmpConnection;
import org.qapi4j.qmp.client.QmpConnectionClosedException;

/**
 * The shell's connect: the address as the user wrote it ({@code SOCKET_PATH} or
 * {@code HOST:PORT}, as QEMU's {@code qmp-shell} reads it), and a failure told in one line, as
 * the operating system says it ({@code cannot connect to /run/q.sock: No such file or
 * directory}), without the layers that carried it up.
 */
final class ShellConnect {
    /** Netty's native prefix: {@code connect(..) failed with error(-111): }. */
    private static final Pattern NATIVE_CALL = Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");
    /** The address Netty appends to a socket error: {@code : /127.0.0.1:4444}. */
    private static final Pattern ANNOTATION = Pattern.compile(": /\\S*$");

    /** A connect that failed; its message is the line to print, {@link #status()} the exit status. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Failure(String message, int status) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private ShellConnect() {}

    /** Connects to {@code address} and negotiates. */
    static QmpConnection connect(String address, Duration commandTimeout) throws Failure, InterruptedException {
        try {
            return target(address).commandTimeout(commandTimeout).connect().get();
        } catch (ExecutionException e) {
            throw new Failure("cannot connect to " + address + ": " + reason(e.getCause()), 1);
        }
    }

    /** A TCP address when it reads {@code HOST:PORT} and names no file, else a Unix socket. */
    static QmpConnection.Builder target(String address) throws Failure {
        int colon = address.lastIndexOf(':');
        if (address.contains("/") || colon <= 0 || Files.exists(Path.of(address))) {
            return QmpConnection.builder().unix(Path.of(address));
        }
        String port = address.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
            throw new Failure("bad port number: " + address + " (see qmp-shell --help)", 2);
        }
        return QmpConnection.builder().tcp(address.substring(0, colon), Integer.parseInt(port));
    }

    /** Why a connect failed, in the words of the layer that knows. */
    static String reason(Throwable failure) {
        Throwable cause = failure.getCause();
        if (!(failure instanceof QmpConnectionClosedException) || cause == null || cause instanceof QmpException) {
            return String.valueOf(failure.getMessage()); // the client's own words: timeouts, negotiation
        }
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (cause instanceof FileNotFoundException && message == null) {
            return "No such file or directory"; // Netty's native ENOENT
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host " + message;
        }
        if (message == null) {
            return cause.getClass().getSimpleName();
        }
        return ANNOTATION.matcher(NATIVE_CALL.matcher(message).replaceFirst("")).replaceFirst("");
    }
}
