package org.qapi4j.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.vmm.process.Lab;

/**
 * QEMU's own Python client library, {@code qemu.qmp}, drives {@code bin/vmm}'s main class
 * unchanged: {@code src/test/python/drive_with_qemu_qmp.py} connects, negotiates, asks {@code
 * query-status}, stops the guest (STOP), continues it (RESUME) and provokes an error.
 *
 * <p>The library comes from the Python package registry ({@code pip install qemu.qmp}); where it
 * cannot be installed the test is skipped and says so. {@code QEMU_QMP_PYTHONPATH} may point at
 * a copy of it (QEMU's source tree has it under {@code python/}).
 */
@Timeout(120)
class QemuPythonClientTest {

    @Test
    void qemuQmpDrivesTheVmm() throws Exception {
        String pythonPath = System.getenv().getOrDefault("QEMU_QMP_PYTHONPATH", "");
        Assumptions.assumeTrue(run(pythonPath, "python3", "-c", "import qemu.qmp") == 0,
                "QEMU's Python client library qemu.qmp is not installed (pip install qemu.qmp)");
        Path script = Path.of("src/test/python/drive_with_qemu_qmp.py").toAbsolutePath();
        try (Lab lab = new Lab()) {
            Lab.Node node = lab.vmm("vmm");
            Path log = lab.dir().resolve("python.log");
            ProcessBuilder builder = new ProcessBuilder("python3", script.toString(), node.qmpSocket().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("PYTHONPATH", pythonPath);
            Process python = builder.start();
            assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(log);
            System.out.print(output);
            assertThat(python.exitValue()).as(output).isZero();
            assertThat(output.lines().filter(line -> line.startsWith("ok "))).hasSize(5);
        }
    }

    private static int run(String pythonPath, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PYTHONPATH", pythonPath);
        Process process = builder.start();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
