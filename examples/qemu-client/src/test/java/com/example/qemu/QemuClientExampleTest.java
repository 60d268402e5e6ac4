package com.example.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.example.qemu.qmp.Event;
import com.example.qemu.qmp.RunState;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.client.QmpConnection;

/**
 * The example against a real QEMU ({@code qemu-system-x86_64}, with no machine and no devices,
 * its QMP monitor on a Unix socket in a temporary folder). Skipped, saying so, when QEMU is not
 * installed.
 */
class QemuClientExampleTest {
    @TempDir
    Path dir;

    @Test
    void statusStopEventAndError() throws Exception {
        Path qemu = onPath("qemu-system-x86_64");
        Assumptions.assumeTrue(qemu != null, () -> {
            String message = "SKIPPED: qemu-system-x86_64 is not on the PATH; the QEMU client example did not run";
            System.out.println(message);
            return message;
        });
        Path socket = dir.resolve("qmp.sock");
        Process process = new ProcessBuilder(qemu.toString(), "-M", "none", "-nodefaults", "-display", "none",
                "-qmp", "unix:" + socket + ",server=on,wait=off")
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try (QmpConnection qmp = connectWhenListening(socket, process)) {
            QemuClientExample.Seen seen = QemuClientExample.run(qmp);
            assertEquals(7, qmp.greeting().major());
            assertEquals(RunState.RUNNING, seen.before().status());
            assertInstanceOf(Event.Stop.class, seen.event());
            assertEquals(RunState.PAUSED, seen.stopped().status());
            assertEquals(ErrorClass.DEVICE_NOT_FOUND, seen.error().errorClass());
            assertEquals("Device 'no-such-device' not found", seen.error().description());
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** QEMU creates the socket file and then listens: connect once it does. */
    private static QmpConnection connectWhenListening(Path socket, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("QEMU exited with " + process.exitValue());
            }
            if (Files.exists(socket)) {
                try {
                    return QemuClientExample.connect(socket);
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            } else if (System.nanoTime() > deadline) {
                throw new IllegalStateException("QEMU did not create " + socket + " in 30 s");
            }
            Thread.sleep(50);
        }
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
