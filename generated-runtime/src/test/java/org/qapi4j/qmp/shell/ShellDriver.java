package org.qapi4j.qmp.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.qapi4j.qmp.client.QmpConnection;

/**
 * A {@link ShellSession} on a terminal that a test types into and reads, as a user would: a
 * JLine {@code DumbTerminal} over a keyboard queue and a screen buffer, with the control
 * characters of a real terminal ({@code Ctrl-C} interrupts, {@code Ctrl-D} ends the input)
 * and a size, so that JLine edits lines and completes as on the system's terminal. The
 * session (or the whole program, {@link QmpShell#run}) runs on a thread of its own.
 */
final class ShellDriver implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final String CTRL_C = "\u0003";
    static final String CTRL_D = "\u0004";
    static final String TAB = "\t";
    private static final Pattern ESCAPES = Pattern.compile("\u001b(?:\\[[?0-9;]*[A-Za-z]|[=>])|\r");

    private final Keyboard keyboard = new Keyboard();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final Terminal terminal;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    /** What runs on the driver's terminal: a session, or the whole program. */
    @FunctionalInterface
    interface Shell {
        int run(Terminal terminal) throws Exception;
    }

    private ShellDriver(Shell shell) throws IOException {
        OutputStream output = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (screen) {
                    screen.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (screen) {
                    screen.write(b, off, len);
                }
            }
        };
        terminal = new DumbTerminal("qmp-shell-test", "xterm", keyboard, output, StandardCharsets.UTF_8);
        terminal.setSize(Size.of(200, 50));
        Attributes attributes = terminal.getAttributes();
        attributes.setControlChar(Attributes.ControlChar.VEOF, 4);
        attributes.setControlChar(Attributes.ControlChar.VINTR, 3);
        attributes.setLocalFlag(Attributes.LocalFlag.ISIG, true);
        terminal.setAttributes(attributes);
        Thread thread = new Thread(() -> {
            try {
                exit.complete(shell.run(terminal));
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            }
        }, "qmp-shell-session");
        thread.setDaemon(true);
        thread.start();
    }

    /** A shell on {@code connection}, without history, plain output, the given answer timeout. */
    static ShellDriver start(QmpConnection connection) throws IOException {
        return start(connection, new ShellOptions(false, false, Duration.ofSeconds(10), null));
    }

    static ShellDriver start(QmpConnection connection, ShellOptions options) throws IOException {
        return new ShellDriver(terminal -> new ShellSession(connection, terminal, options).run());
    }

    /** Runs {@code shell} on the driver's terminal. */
    static ShellDriver start(Shell shell) throws IOException {
        return new ShellDriver(shell);
    }

    /** Types {@code keys} (a line needs its {@code \n}). */
    ShellDriver type(String keys) {
        keyboard.type(keys);
        return this;
    }

    /** Ends the input, as when stdin is a file that ends. */
    void endInput() {
        keyboard.end();
    }

    /** What the screen shows so far: prompts, echo and output, without escape sequences. */
    String screen() {
        synchronized (screen) {
            return ESCAPES.matcher(screen.toString(StandardCharsets.UTF_8)).replaceAll("");
        }
    }

    /** Waits until the screen shows {@code text}; fails, showing the screen, if it does not. */
    String await(String text) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!screen().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the screen never showed " + text + "; it shows:\n" + screen());
            }
            Thread.sleep(10);
        }
        return screen();
    }

    /** The session's exit status, once it ended by itself within {@code within}. */
    int exitStatus(Duration within) throws Exception {
        try {
            return exit.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the shell did not end within " + within.toMillis() + " ms; the screen:\n" + screen());
        }
    }

    boolean ended() {
        return exit.isDone();
    }

    @Override
    public void close() throws IOException {
        keyboard.end();
        terminal.close();
    }

    /** Keys typed by the test, read by the terminal. */
    private static final class Keyboard extends InputStream {
        private static final int END = -1;
        private final BlockingQueue<Integer> keys = new LinkedBlockingQueue<>();

        void type(String text) {
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                keys.add(b & 0xff);
            }
        }

        void end() {
            keys.add(END);
        }

        @Override
        public int read() throws IOException {
            try {
                int key = keys.take();
                if (key == END) {
                    keys.add(END);
                }
                return key;
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
        }
    }
}
