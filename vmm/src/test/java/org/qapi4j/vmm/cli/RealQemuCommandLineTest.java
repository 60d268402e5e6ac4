package org.qapi4j.vmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.qapi4j.qmp.client.QmpBlockingClient;
import org.qapi4j.qmp.client.QmpConnection;
import org.qapi4j.vmm.process.Lab;
import tools.jackson.databind.JsonNode;

/**
 * The options QEMU and the VMM share, against {@code /usr/bin/qemu-system-x86_64} (QEMU 7.2):
 * for a refused command line, QEMU's exit status is 1 and its error line, with our program name
 * for QEMU's, is ours; for an accepted one, QEMU starts and answers {@code query-name}, {@code
 * query-uuid}, {@code query-status} and {@code query-memory-size-summary} with what we parsed.
 * Every command line starts with {@code -display none -nodefaults -S -machine none}, for both.
 * Skipped, saying so, where QEMU is not installed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RealQemuCommandLineTest {
    static final List<String> BASE = List.of("-display", "none", "-nodefaults", "-S", "-machine", "none");
    static final String QEMU_PREFIX = "qemu-system-x86_64: ";

    private Lab lab;

    @BeforeEach
    void requireQemu() throws IOException {
        Lab.assumeQemu("the command line was not compared with QEMU 7.2");
        lab = new Lab();
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (lab != null) {
            lab.close();
        }
    }

    /** The words of a test line: split at spaces; {@code ''} is an empty word. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>(BASE);
        for (String word : line.trim().split(" +")) {
            words.add(word.equals("''") ? "" : word);
        }
        return words;
    }

    /** QEMU with exactly {@code args}. */
    private static List<String> qemuCommand(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Lab.QEMU.toString());
        command.addAll(args);
        return command;
    }

    /** The line QEMU's error is on: the first of its lines that is not a warning. */
    private static String errorLine(List<String> lines) {
        for (String line : lines) {
            if (line.startsWith(QEMU_PREFIX) && !line.contains(": warning: ")) {
                return "vmm: " + line.substring(QEMU_PREFIX.length());
            }
        }
        throw new AssertionError("no error line in " + lines);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            -foo
            --foo
            -
            --
            ---m 16
            -m=16
            -guest kvstore
            -disk d.img
            --guest=dirty
            -m
            --m
            -qmp
            -uuid
            -name
            -incoming
            -machine
            -M
            -display
            -m -S
            -m abc
            -m -5
            -m 1Z
            -m 1.5
            -m .5G
            -m 5.5e3M
            -m 1k5
            -m 1KB
            -m size=
            -m size=abc
            -m ,16
            -m 99999999T
            -m 16E
            -m 18446744073709551616
            -m foo=1
            -m 16,foo
            -m id=x
            -m 16,id=x
            -m 16,slots=x
            -m 16,maxmem=x
            -m 16,slots=99999999999999999999
            -m 17592186044416
            -m 18446744073709551615
            -uuid xyz
            -uuid 12345678-1234-1234-1234-12345678901
            -uuid 12345678-1234-1234-1234-1234567890123
            -uuid 12345678-1234-1234-1234-123456789abZ
            -uuid 12345678123412341234123456789abc
            -uuid {6ba7b810-9dad-11d1-80b4-00c04fd430c8}
            -uuid 6ba7b810-9dad-11d1-80b4-00c04fd430c8extra
            -uuid ''
            -uuid -m
            -name foo,bogus=1
            -name foo,id=x
            -name foo,debug-threads=maybe
            -name ,x
            -qmp foo:bar
            -qmp none
            -qmp chardev:mon0
            -qmp tcp:localhost,server=on,wait=off
            -qmp tcp:,server=on
            -qmp tcp:127.0.0.1:,server=on
            -qmp tcp:127.0.0.1:4444,server=maybe
            -qmp unix:/tmp/vmm-x,bogus=1
            -qmp unix:/tmp/vmm-x,server=on,wait=off,to=abc
            -qmp tcp:127.0.0.1:4444,server=on,wait=off,path=/tmp/vmm-x
            -qmp unix:/tmp/vmm-q,server=on,wait=off,host=x
            -qmp unix:/tmp/vmm-q,server=on,wait=off,fd=3
            -qmp unix:/tmp/vmm-q,server=on,wait=off,delay=on,nodelay=on
            -qmp unix:/tmp/vmm-q,wait=off
            -qmp unix:/tmp/vmm-q,server=off,wait=off
            -qmp tcp:localhost:abc,server=on,wait=off
            -incoming foo
            -incoming tcp:localhost
            -incoming tcp::
            -incoming tcp:[::1
            -incoming unix:
            -incoming tcp:localhost:abc
            -machine bogus
            -M bogus,accel=tcg
            -machine none,foo=bar
            -machine none,foo
            -M none,,x
            -display bogus
            -display gl=on
            -m abc -foo
            -m abc -uuid
            -uuid x -m abc
            -m abc -uuid x
            -incoming foo -uuid x
            -machine bogus -m 17592186044416
            -m 17592186044416 -incoming foo
            -qmp unix:/tmp/vmm-q -machine bogus
            -m abc -h
            -h -foo
            """)
    void refusedAlikeWithTheSameLine(String line) throws Exception {
        List<String> args = words(line);
        Lab.Exited qemu = lab.exec("qemu", qemuCommand(args), 20); // fails if QEMU accepted args
        List<String> lines = qemu.stderr().lines().toList();
        assertThat(qemu.status()).as("QEMU's status for %s: %s", args, lines).isEqualTo(1);
        String ours = VmmCommandLineTest.refusal(args.toArray(String[]::new));
        assertThat(ours).as("for %s", args).isEqualTo(errorLine(lines));
    }

    @Test
    void helpAndVersionExitZeroInBoth() throws Exception {
        for (String option : List.of("-h", "-help", "--help", "-version", "--version")) {
            List<String> args = words(option + " -m abc");
            assertThat(lab.exec("qemu", qemuCommand(args), 20).status()).as(option).isZero();
            assertThat(VmmCommandLine.parse(args.toArray(String[]::new)).action())
                    .isIn(VmmOptions.Action.HELP, VmmOptions.Action.VERSION);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            -m 64
            -m 1b
            -m 8193B
            -m 1023k
            -m 0x10
            -m 0x1f
            -m 1.5G
            -m 1.G
            -m +16
            -m 16,
            -m size=32,size=8
            -m 16 -m 32
            -m 16 -m ''
            -name vm1
            -name guest=vm1
            -name vm1,process=vmm-vm1,debug-threads=on
            -name a,,b
            -name guest=
            -name x -name y
            -name x -name process=p
            -name vm1,debug-threads
            -uuid 6BA7B810-9DAD-11D1-80B4-00C04FD430C8
            -uuid 6ba7b810-9dad-11d1-80b4-00c04fd430c8 -name vm2
            -incoming defer
            -incoming tcp:127.0.0.1:0
            -incoming tcp::0
            -incoming tcp:localhost:1 -incoming defer
            -no-shutdown -no-reboot
            -nographic
            -M none -machine type=none -machine ''
            --S --nodefaults --display none
            -qmp tcp:127.0.0.1:0,server,nowait
            -qmp tcp::0,server=yes,wait=no,id=x
            """)
    void acceptedAlikeWithTheSameMeaning(String line) throws Exception {
        Path socket = lab.dir().resolve("q.sock");
        List<String> args = words(line);
        args.addAll(List.of("-qmp", "unix:" + socket + ",server,nowait"));
        VmmOptions ours = VmmCommandLine.parse(args.toArray(String[]::new));

        Process qemu = lab.start("qemu", qemuCommand(args));
        Path stderr = lab.dir().resolve("qemu.err");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            assertThat(qemu.isAlive()).as("QEMU runs with %s: %s", args, Files.exists(stderr)
                    ? Files.readAllLines(stderr) : List.of()).isTrue();
            assertThat(System.nanoTime()).as("QEMU's socket within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        try (QmpBlockingClient client = connect(socket, qemu)) {
            JsonNode name = client.execute("query-name");
            assertThat(name.has("name") ? name.get("name").asString() : null).as("name")
                    .isEqualTo(ours.name().orElse(null));
            assertThat(client.execute("query-uuid").get("UUID").asString()).as("uuid")
                    .isEqualTo(ours.uuid().orElse(new UUID(0, 0)).toString());
            assertThat(client.execute("query-status").get("status").asString()).as("status")
                    .isEqualTo(ours.incoming().isPresent() ? "inmigrate" : "prelaunch");
            if (line.contains("-m ")) {
                // QEMU's machine 'none' has no default size; ours is the PC's, so compare given sizes only.
                assertThat(client.execute("query-memory-size-summary").get("base-memory").asLong())
                        .as("memory").isEqualTo(ours.memoryBytes());
            }
            assertThat(ours.qmp()).hasSize((int) args.stream().filter("-qmp"::equals).count());
            client.execute("quit");
        }
        assertThat(qemu.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    /** Connects, retrying while QEMU creates the socket but does not listen yet. */
    private static QmpBlockingClient connect(Path socket, Process qemu) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return QmpBlockingClient.connect(QmpConnection.builder().unix(socket)
                        .connectTimeout(Duration.ofSeconds(10)).commandTimeout(Duration.ofSeconds(20)));
            } catch (RuntimeException e) {
                if (!qemu.isAlive() || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
