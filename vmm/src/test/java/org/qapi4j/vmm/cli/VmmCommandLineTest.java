package org.qapi4j.vmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VmmCommandLineTest {

    private static VmmOptions parse(String... args) throws UsageException {
        return VmmCommandLine.parse(args);
    }

    /** The error line for {@code args}, which must be refused. */
    static String refusal(String... args) {
        try {
            VmmCommandLine.parse(args);
        } catch (UsageException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + List.of(args));
    }

    private static List<String> words(String line) {
        return List.of(line.trim().split(" +"));
    }

    @Test
    void noArgumentsAreTheDefaults() throws Exception {
        VmmOptions options = parse();
        assertThat(options).isEqualTo(VmmOptions.defaults());
        assertThat(VmmOptions.parse("-S")).isEqualTo(parse("-S"));
        assertThat(options.action()).isEqualTo(VmmOptions.Action.RUN);
        assertThat(options.qmp()).isEmpty();
        assertThat(options.memoryBytes()).isEqualTo(128L << 20);
        assertThat(options.startPaused()).isFalse();
        assertThat(options.autostart()).isTrue();
        assertThat(options.incoming()).isEmpty();
        assertThat(options.name()).isEmpty();
        assertThat(options.uuid()).isEmpty();
        assertThat(options.guest()).isEqualTo(new GuestProgram.KvStore());
        assertThat(options.nic()).isEqualTo(new ListenAddress.Tcp("127.0.0.1", 0));
        assertThat(options.disk()).isEmpty();
        assertThat(options.serial()).isEqualTo(new SerialSpec.None());
    }

    // ---- -qmp -----------------------------------------------------------------------------

    @ParameterizedTest(name = "-qmp {0}")
    @CsvSource(delimiter = '|', textBlock = """
            unix:/run/vmm/qmp.sock,server=on,wait=off     | unix:/run/vmm/qmp.sock
            unix:/tmp/q.sock,server,nowait                | unix:/tmp/q.sock
            unix:q.sock,wait=off,server=on                | unix:q.sock
            unix:path=/tmp/q,server=yes,wait=no           | unix:/tmp/q
            unix:/tmp/a,,b,server=true,wait=false         | unix:/tmp/a,b
            unix:/tmp/q,server=y,wait=n,id=mon0           | unix:/tmp/q
            unix:/tmp/a,server=on,wait=off,path=/tmp/b    | unix:/tmp/b
            unix:/tmp/q,noserver,server,nowait            | unix:/tmp/q
            tcp:127.0.0.1:4444,server=on,wait=off         | tcp:127.0.0.1:4444
            tcp:localhost:0,server,nowait                 | tcp:localhost:0
            tcp::4444,server=on,wait=off                  | tcp::4444
            tcp:127.0.0.1:65535,server=on,wait=off        | tcp:127.0.0.1:65535
            """)
    void qmpForms(String spec, String address) throws Exception {
        assertThat(parse("-qmp", spec).qmp()).extracting(Object::toString).containsExactly(address);
        assertThat(parse("--qmp", spec).qmp()).extracting(Object::toString).containsExactly(address);
    }

    @Test
    void qmpIsRepeatableInOrder() throws Exception {
        VmmOptions options = parse("-qmp", "unix:/tmp/a,server=on,wait=off", "-qmp",
                "tcp:127.0.0.1:0,server=on,wait=off");
        assertThat(options.qmp()).containsExactly(new ListenAddress.Unix(Path.of("/tmp/a")),
                new ListenAddress.Tcp("127.0.0.1", 0));
    }

    @ParameterizedTest(name = "-qmp {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            foo:bar                                           | 'foo:bar' is not a valid char driver
            none                                              | 'none' is not a valid char driver
            chardev:mon0                                      | chardev "mon0" not found
            stdio                                             | only unix: and tcp: monitors are supported
            mon:stdio                                         | only unix: and tcp: monitors are supported
            telnet:127.0.0.1:4444,server=on,wait=off          | only unix: and tcp: monitors are supported
            file:/tmp/out                                     | only unix: and tcp: monitors are supported
            /dev/ttyS0                                        | only unix: and tcp: monitors are supported
            tcp:localhost,server=on,wait=off                  | parse error: tcp:localhost,server=on,wait=off
            tcp:,server=on                                    | parse error: tcp:,server=on
            tcp:127.0.0.1:,server=on                          | parse error: tcp:127.0.0.1:,server=on
            tcp:127.0.0.1:4444,server=maybe                   | Parameter 'server' expects 'on' or 'off'
            unix:/tmp/x,bogus=1                               | Invalid parameter 'bogus'
            unix:/tmp/x,server=on,wait=off,to=abc             | Parameter 'to' expects a number
            tcp:127.0.0.1:4444,server=on,wait=off,path=/tmp/x | None or one of 'path', 'fd' or 'host' option required.
            unix:/tmp/q,server=on,wait=off,host=x             | None or one of 'path', 'fd' or 'host' option required.
            unix:/tmp/q,server=on,wait=off,delay=on,nodelay=on | 'delay' and 'nodelay' are mutually exclusive
            unix:/tmp/q,wait=off                              | 'wait' option is incompatible with socket in client connect mode
            unix:/tmp/q,server=off,wait=off                   | 'wait' option is incompatible with socket in client connect mode
            tcp:localhost:abc,server=on,wait=off              | address resolution failed for localhost:abc: Servname not supported for ai_socktype
            tcp:127.0.0.1:99999,server=on,wait=off            | port 99999 is out of range: 0 to 65535
            unix:/tmp/q,server=on,wait=off,telnet=on          | parameter 'telnet' is not supported
            unix:/tmp/q,server=on,wait=off,nodelay=on         | parameter 'nodelay' is not supported
            # QEMU reads the flag 'nodelay' as 'no' + 'delay', that is delay=off
            unix:/tmp/q,server=on,wait=off,nodelay            | parameter 'delay' is not supported
            unix:/tmp/q,server=on,wait=off,fd=3               | None or one of 'path', 'fd' or 'host' option required.
            unix:                                             | a socket path is required: unix:PATH
            unix:,server=on,wait=off                          | a socket path is required: unix:PATH
            unix:/tmp/q                                       | client mode is not supported: add server=on
            unix:/tmp/q,noserver                              | client mode is not supported: add server=on
            unix:/tmp/q,server=on                             | waiting for a client is not supported: add wait=off
            unix:/tmp/q,server=on,wait=on                     | waiting for a client is not supported: add wait=off
            tcp:127.0.0.1:0,server                            | waiting for a client is not supported: add wait=off
            """)
    void qmpErrors(String spec, String message) {
        assertThat(refusal("-qmp", spec)).isEqualTo("vmm: -qmp " + spec + ": " + message);
    }

    // ---- -m -------------------------------------------------------------------------------

    @ParameterizedTest(name = "-m {0} = {1} bytes")
    @CsvSource(delimiter = '|', textBlock = """
            64             | 67108864
            1024           | 1073741824
            size=64        | 67108864
            64M            | 67108864
            64m            | 67108864
            1G             | 1073741824
            1.5G           | 1610612736
            2T             | 2199023255552
            4096k          | 4194304
            1023k          | 1048576
            1b             | 8192
            8193B          | 16384
            0x10           | 16777216
            0x1f           | 8192
            0              | 134217728
            0M             | 134217728
            ''             | 134217728
            ' 16'          | 16777216
            +16            | 16777216
            16,            | 16777216
            1.G            | 1073741824
            size=32,size=8 | 8388608
            """)
    void memorySizes(String size, long bytes) throws Exception {
        assertThat(parse("-m", size).memoryBytes()).isEqualTo(bytes);
    }

    @Test
    void theLastMemorySizeCountsAndAnEmptyOneChangesNothing() throws Exception {
        assertThat(parse("-m", "16", "-m", "32").memoryBytes()).isEqualTo(32L << 20);
        assertThat(parse("-m", "16", "-m", "").memoryBytes()).isEqualTo(16L << 20);
        assertThat(parse("-m", "16", "-m", "0").memoryBytes()).isEqualTo(128L << 20);
    }

    @ParameterizedTest(name = "-m {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            abc                  | Parameter 'size' expects a non-negative number below 2^64
            -5                   | Parameter 'size' expects a non-negative number below 2^64
            1Z                   | Parameter 'size' expects a non-negative number below 2^64
            1.5                  | Parameter 'size' expects a non-negative number below 2^64
            .5G                  | Parameter 'size' expects a non-negative number below 2^64
            5.5e3M               | Parameter 'size' expects a non-negative number below 2^64
            1k5                  | Parameter 'size' expects a non-negative number below 2^64
            1KB                  | Parameter 'size' expects a non-negative number below 2^64
            size=                | Parameter 'size' expects a non-negative number below 2^64
            size=abc             | Parameter 'size' expects a non-negative number below 2^64
            ',16'                | Parameter 'size' expects a non-negative number below 2^64
            99999999T            | Value '99999999T' is out of range for parameter 'size'
            16E                  | Value '16E' is out of range for parameter 'size'
            18446744073709551616 | Value '18446744073709551616' is out of range for parameter 'size'
            foo=1                | Invalid parameter 'foo'
            16,foo               | Invalid parameter 'foo'
            id=x                 | Invalid parameter 'id'
            16,id=x              | Invalid parameter 'id'
            16,slots=x           | Parameter 'slots' expects a number
            16,maxmem=x          | Parameter 'maxmem' expects a non-negative number below 2^64
            16,slots=99999999999999999999 | Value '99999999999999999999' is too large for parameter 'slots'
            16,slots=2           | parameter 'slots' is not supported: the VMM has no memory hotplug
            1G,maxmem=2G         | parameter 'maxmem' is not supported: the VMM has no memory hotplug
            """)
    void memoryErrors(String size, String message) {
        assertThat(refusal("-m", size)).isEqualTo("vmm: -m " + size + ": " + message);
    }

    @Test
    void memoryErrorsOfTheMachineStageHaveNoLocation() {
        // As bytes these parse; in MiB (a plain number is MiB) they pass 2^64.
        assertThat(refusal("-m", "17592186044416")).isEqualTo("vmm: Parameter 'memory.size' expects size");
        assertThat(refusal("-m", "18446744073709551615")).isEqualTo("vmm: Parameter 'memory.size' expects size");
        assertThat(refusal("-m", "18446744073709551615b")).isEqualTo("vmm: ram size too large");
    }

    @Test
    void memPreallocIsAFlagAsInQemu() throws Exception {
        assertThat(parse().memPrealloc()).isFalse();
        assertThat(parse("-mem-prealloc").memPrealloc()).isTrue();
        assertThat(parse("--mem-prealloc", "-m", "64").memPrealloc()).isTrue();
        // QEMU's -mem-prealloc takes no value: a value is an unknown option, or a positional word.
        assertThat(refusal("-mem-prealloc=on")).isEqualTo("vmm: -mem-prealloc=on: invalid option");
        assertThat(refusal("-mem-prealloc", "on")).startsWith("vmm: on: ").doesNotContain("\n");
    }

    // ---- -S, -incoming ----------------------------------------------------------------------

    @Test
    void startPaused() throws Exception {
        assertThat(parse("-S").startPaused()).isTrue();
        assertThat(parse("-S").autostart()).isFalse();
        assertThat(parse("--S", "-S").startPaused()).isTrue();
    }

    @Test
    void incomingForms() throws Exception {
        assertThat(parse("-incoming", "defer").incoming()).contains(new IncomingMigration.Defer());
        assertThat(parse("-incoming", "tcp:0.0.0.0:4444").incoming()).contains(
                new IncomingMigration.Listen(new ListenAddress.Tcp("0.0.0.0", 4444), "tcp:0.0.0.0:4444"));
        assertThat(parse("-incoming", "tcp::4444").incoming()).contains(
                new IncomingMigration.Listen(new ListenAddress.Tcp("", 4444), "tcp::4444"));
        assertThat(parse("-incoming", "tcp:[::1]:4444").incoming()).contains(
                new IncomingMigration.Listen(new ListenAddress.Tcp("::1", 4444), "tcp:[::1]:4444"));
        assertThat(parse("-incoming", "unix:/tmp/mig.sock").incoming()).contains(
                new IncomingMigration.Listen(new ListenAddress.Unix(Path.of("/tmp/mig.sock")), "unix:/tmp/mig.sock"));
        // The last one counts, as in QEMU.
        assertThat(parse("-incoming", "tcp:localhost:1", "-incoming", "defer").incoming())
                .contains(new IncomingMigration.Defer());
    }

    @ParameterizedTest(name = "-incoming {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            foo                  | unknown migration protocol: foo
            tcp:localhost        | error parsing address 'localhost'
            tcp::                | error parsing port in address ':'
            tcp:[::1             | error parsing IPv6 address '[::1'
            unix:                | invalid Unix socket address
            tcp:localhost:abc    | address resolution failed for localhost:abc: Servname not supported for ai_socktype
            tcp:127.0.0.1:99999  | port 99999 is out of range: 0 to 65535
            tcp:127.0.0.1:1,to=5 | options of migration addresses are not supported
            exec:cat             | migration protocol 'exec' is not supported: use tcp: or unix:
            fd:3                 | migration protocol 'fd' is not supported: use tcp: or unix:
            rdma:host:1          | migration protocol 'rdma' is not supported: use tcp: or unix:
            vsock:1:2            | migration protocol 'vsock' is not supported: use tcp: or unix:
            """)
    void incomingErrors(String uri, String message) {
        assertThat(refusal("-incoming", uri)).isEqualTo("vmm: -incoming " + uri + ": " + message);
        assertThat(refusal("--incoming", uri)).isEqualTo("vmm: -incoming " + uri + ": " + message);
    }

    // ---- -name, -uuid -----------------------------------------------------------------------

    @ParameterizedTest(name = "-name {0}")
    @CsvSource(delimiter = '|', textBlock = """
            vm1                                     | vm1
            guest=vm1                               | vm1
            vm1,process=vmm-vm1,debug-threads=on    | vm1
            a,,b                                    | a,b
            guest=                                  | ''
            process=p                               |
            ''                                      |
            vm1,debug-threads                       | vm1
            """)
    void nameForms(String arg, String name) throws Exception {
        assertThat(parse("-name", arg).name()).isEqualTo(Optional.ofNullable(name));
    }

    @Test
    void theLastNameCounts() throws Exception {
        assertThat(parse("-name", "x", "-name", "y").name()).contains("y");
        assertThat(parse("-name", "x", "-name", "process=p").name()).contains("x");
    }

    @ParameterizedTest(name = "-name {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            foo,bogus=1             | Invalid parameter 'bogus'
            foo,id=x                | Invalid parameter 'id'
            foo,debug-threads=maybe | Parameter 'debug-threads' expects 'on' or 'off'
            ',x'                    | Invalid parameter 'x'
            """)
    void nameErrors(String arg, String message) {
        assertThat(refusal("-name", arg)).isEqualTo("vmm: -name " + arg + ": " + message);
    }

    @Test
    void uuidForms() throws Exception {
        UUID uuid = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertThat(parse("-uuid", "6ba7b810-9dad-11d1-80b4-00c04fd430c8").uuid()).contains(uuid);
        assertThat(parse("-uuid", "6BA7B810-9DAD-11D1-80B4-00C04FD430C8").uuid()).contains(uuid);
        assertThat(parse("-uuid", "00000000-0000-0000-0000-000000000000").uuid()).contains(new UUID(0, 0));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            xyz
            12345678-1234-1234-1234-12345678901
            12345678-1234-1234-1234-1234567890123
            12345678-1234-1234-1234-123456789abZ
            12345678123412341234123456789abc
            {6ba7b810-9dad-11d1-80b4-00c04fd430c8}
            6ba7b810-9dad-11d1-80b4-00c04fd430c8extra
            6ba7b8109-dad-11d1-80b4-00c04fd430c8
            1-2-3-4-5
            ''
            """)
    void uuidErrors(String arg) {
        assertThat(refusal("-uuid", arg)).isEqualTo("vmm: -uuid " + arg + ": failed to parse UUID string: wrong format");
    }

    // ---- accepted without effect, machine, display ---------------------------------------------

    @Test
    void acceptedQemuOptionsWithoutEffect() throws Exception {
        VmmOptions options = parse("-nodefaults", "-nographic", "-display", "none", "-machine", "none", "-M", "none",
                "-machine", "type=none", "-machine", "");
        assertThat(options.noDefaults()).isTrue();
        assertThat(options).isEqualTo(new VmmOptions(VmmOptions.Action.RUN, List.of(), 128L << 20, false,
                Optional.empty(), Optional.empty(), Optional.empty(), true, false, false, new GuestProgram.KvStore(),
                VmmOptions.DEFAULT_NIC, Optional.empty(), new SerialSpec.None()));
        assertThat(parse("-no-shutdown").noShutdown()).isTrue();
        assertThat(parse("-no-reboot").noReboot()).isTrue();
        assertThat(parse("-machine", "pc", "-machine", "none").noReboot()).isFalse();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            -machine bogus             | vmm: unsupported machine type
            -M pc                      | vmm: unsupported machine type
            -machine q35,accel=kvm     | vmm: unsupported machine type
            -machine help              | vmm: unsupported machine type
            -machine none,foo=bar      | vmm: Property 'none-machine.foo' not found
            -machine none,accel=kvm    | vmm: -machine none,accel=kvm: parameter 'accel' is not supported: the VMM has no accelerators
            -machine none,foo          | vmm: -machine none,foo: Expected '=' after parameter 'foo'
            -M none,,x                 | vmm: -M none,,x: Invalid parameter ''
            -display bogus             | vmm: -display bogus: Parameter 'type' does not accept value 'bogus'
            -display gtk               | vmm: -display gtk: only '-display none' is supported: the VMM has no display
            -display vnc=:0            | vmm: -display vnc=:0: only '-display none' is supported: the VMM has no display
            -display none,gl=off       | vmm: -display none,gl=off: only '-display none' is supported: the VMM has no display
            -display gl=on             | vmm: -display gl=on: Parameter 'type' is missing
            """)
    void machineAndDisplayErrors(String line, String message) {
        assertThat(refusal(words(line).toArray(String[]::new))).isEqualTo(message);
    }

    // ---- our options ----------------------------------------------------------------------------

    @Test
    void guestForms() throws Exception {
        assertThat(parse("--guest", "kvstore").guest()).isEqualTo(new GuestProgram.KvStore());
        assertThat(parse("--guest", "dirty").guest())
                .isEqualTo(new GuestProgram.Dirty(OptionalLong.empty(), OptionalLong.empty()));
        assertThat(parse("--guest", "dirty,rate=1000,wss=64M").guest())
                .isEqualTo(new GuestProgram.Dirty(OptionalLong.of(1000), OptionalLong.of(64L << 20)));
        assertThat(parse("--guest", "dirty,wss=4096,rate=0x10").guest())
                .isEqualTo(new GuestProgram.Dirty(OptionalLong.of(16), OptionalLong.of(4096)));
        assertThat(parse("--guest", "dirty,rate=5", "--guest", "kvstore").guest()).isEqualTo(new GuestProgram.KvStore());
        assertThat(parse("--guest", "dirty").guest().name()).isEqualTo("dirty");
        assertThat(parse("--guest", "kvstore").guest().options()).isEmpty();
        assertThat(parse("--guest", "dirty").guest().options()).isEmpty();
        assertThat(parse("--guest", "dirty,wss=1.5M,rate=0x10").guest().options())
                .containsExactly(java.util.Map.entry("rate", "16"), java.util.Map.entry("wss", "1572864"));
    }

    @ParameterizedTest(name = "--guest {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            foo                  | unknown guest program 'foo': choose kvstore or dirty
            ''                   | no guest program given: choose kvstore or dirty
            rate=5               | no guest program given: choose kvstore or dirty
            kvstore,rate=5       | Invalid parameter 'rate'
            dirty,bogus=1        | Invalid parameter 'bogus'
            dirty,rate=fast      | Parameter 'rate' expects a number
            dirty,rate=-1        | Parameter 'rate' expects a number
            dirty,rate           | Parameter 'rate' expects a number
            dirty,wss=big        | Parameter 'wss' expects a non-negative number below 2^64
            dirty,wss=16E        | Value '16E' is out of range for parameter 'wss'
            dirty,wss=8E         | Value '8E' is out of range for parameter 'wss'
            """)
    void guestErrors(String arg, String message) {
        assertThat(refusal("--guest", arg)).isEqualTo("vmm: --guest " + arg + ": " + message);
    }

    @Test
    void nicForms() throws Exception {
        assertThat(parse("--nic", "127.0.0.1:8080").nic()).isEqualTo(new ListenAddress.Tcp("127.0.0.1", 8080));
        assertThat(parse("--nic", "localhost:0").nic()).isEqualTo(new ListenAddress.Tcp("localhost", 0));
        assertThat(parse("--nic", "[::1]:9000").nic()).isEqualTo(new ListenAddress.Tcp("::1", 9000));
        assertThat(parse("--nic", "0.0.0.0:65535").nic()).isEqualTo(new ListenAddress.Tcp("0.0.0.0", 65535));
    }

    @ParameterizedTest(name = "--nic {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            8080           | expected HOST:PORT, such as 127.0.0.1:0
            :8080          | expected HOST:PORT, such as 127.0.0.1:0
            ''             | expected HOST:PORT, such as 127.0.0.1:0
            ::1:80         | expected HOST:PORT, such as 127.0.0.1:0
            localhost:     | port '' is not a number from 0 to 65535
            localhost:http | port 'http' is not a number from 0 to 65535
            localhost:-1   | port '-1' is not a number from 0 to 65535
            localhost:65536 | port '65536' is not a number from 0 to 65535
            [::1]:x        | port 'x' is not a number from 0 to 65535
            """)
    void nicErrors(String arg, String message) {
        assertThat(refusal("--nic", arg)).isEqualTo("vmm: --nic " + arg + ": " + message);
    }

    @Test
    void diskForms() throws Exception {
        assertThat(parse("--disk", "/var/vm/disk.img").disk())
                .contains(new DiskSpec(Path.of("/var/vm/disk.img"), OptionalLong.empty()));
        assertThat(parse("--disk", "disk.img,size=1G").disk())
                .contains(new DiskSpec(Path.of("disk.img"), OptionalLong.of(1L << 30)));
        assertThat(parse("--disk", "path=a,,b.img,size=4096").disk())
                .contains(new DiskSpec(Path.of("a,b.img"), OptionalLong.of(4096)));
    }

    @ParameterizedTest(name = "--disk {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            d.img,size=big      | Parameter 'size' expects a non-negative number below 2^64
            d.img,size=16E      | Value '16E' is out of range for parameter 'size'
            d.img,format=raw    | Invalid parameter 'format'
            ,size=1M            | no image file given: --disk PATH[,size=SIZE]
            size=1M             | no image file given: --disk PATH[,size=SIZE]
            ''                  | no image file given: --disk PATH[,size=SIZE]
            """)
    void diskErrors(String arg, String message) {
        assertThat(refusal("--disk", arg)).isEqualTo("vmm: --disk " + arg + ": " + message);
    }

    @Test
    void onlyOneDisk() {
        assertThat(refusal("--disk", "a.img", "--disk", "b.img")).isEqualTo("vmm: --disk b.img: only one disk is supported");
    }

    @Test
    void serialForms() throws Exception {
        assertThat(parse("--serial", "stdio").serial()).isEqualTo(new SerialSpec.Stdio());
        assertThat(parse("--serial", "none").serial()).isEqualTo(new SerialSpec.None());
        assertThat(parse("--serial", "/tmp/serial.log").serial()).isEqualTo(new SerialSpec.File(Path.of("/tmp/serial.log")));
        assertThat(parse("--serial", "stdio", "--serial", "log.txt").serial())
                .isEqualTo(new SerialSpec.File(Path.of("log.txt")));
        assertThat(refusal("--serial", "")).isEqualTo("vmm: --serial : expected PATH, stdio or none");
    }

    // ---- the two passes, help, version ----------------------------------------------------------

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            -foo                       | vmm: -foo: invalid option
            --foo                      | vmm: --foo: invalid option
            -                          | vmm: -: invalid option
            --                         | vmm: --: invalid option
            ---m 16                    | vmm: ---m: invalid option
            -m=16                      | vmm: -m=16: invalid option
            -guest kvstore             | vmm: -guest: invalid option
            -nic 127.0.0.1:0           | vmm: -nic: invalid option
            -serial stdio              | vmm: -serial: invalid option
            -disk d.img                | vmm: -disk: invalid option
            -smp 2                     | vmm: -smp: invalid option
            -enable-kvm                | vmm: -enable-kvm: invalid option
            --guest=dirty              | vmm: --guest=dirty: invalid option
            -m                         | vmm: -m: requires an argument
            --m                        | vmm: --m: requires an argument
            -qmp                       | vmm: -qmp: requires an argument
            -uuid                      | vmm: -uuid: requires an argument
            -name                      | vmm: -name: requires an argument
            -incoming                  | vmm: -incoming: requires an argument
            -machine                   | vmm: -machine: requires an argument
            -M                         | vmm: -M: requires an argument
            -display                   | vmm: -display: requires an argument
            --guest                    | vmm: --guest: requires an argument
            --nic                      | vmm: --nic: requires an argument
            --disk                     | vmm: --disk: requires an argument
            --serial                   | vmm: --serial: requires an argument
            -m -S                      | vmm: -m -S: Parameter 'size' expects a non-negative number below 2^64
            -uuid -m                   | vmm: -uuid -m: failed to parse UUID string: wrong format
            disk.img                   | vmm: disk.img: positional arguments are not supported (a disk image is given with --disk PATH)
            -m abc -foo                | vmm: -foo: invalid option
            -m abc -uuid               | vmm: -uuid: requires an argument
            -uuid x -m abc             | vmm: -uuid x: failed to parse UUID string: wrong format
            -m abc -uuid x             | vmm: -m abc: Parameter 'size' expects a non-negative number below 2^64
            -incoming foo -uuid x      | vmm: -uuid x: failed to parse UUID string: wrong format
            -machine pc -m 17592186044416 | vmm: unsupported machine type
            -m 17592186044416 -incoming foo | vmm: Parameter 'memory.size' expects size
            -machine none,x=1 -m 17592186044416 | vmm: Property 'none-machine.x' not found
            -qmp unix:/q -machine pc   | vmm: unsupported machine type
            -machine none,x=1 -qmp unix:/q | vmm: -qmp unix:/q: client mode is not supported: add server=on
            """)
    void passesAndOrder(String line, String message) {
        assertThat(refusal(words(line).toArray(String[]::new))).isEqualTo(message);
    }

    @Test
    void helpAndVersionStopTheSecondPassWhereTheyAre() throws Exception {
        for (String help : List.of("-h", "-help", "--help", "--h")) {
            assertThat(parse(help).action()).isEqualTo(VmmOptions.Action.HELP);
            assertThat(parse("-S", help, "-m", "abc", "-machine", "pc").action()).isEqualTo(VmmOptions.Action.HELP);
        }
        for (String version : List.of("-version", "--version")) {
            assertThat(parse(version).action()).isEqualTo(VmmOptions.Action.VERSION);
            assertThat(parse(version, "-h").action()).isEqualTo(VmmOptions.Action.VERSION);
        }
        // An earlier error of the second pass wins, and the first pass's errors always do.
        assertThat(refusal("-m", "abc", "-h")).startsWith("vmm: -m abc: ");
        assertThat(refusal("-h", "-foo")).isEqualTo("vmm: -foo: invalid option");
    }

    @Test
    void helpTextNamesEveryOption() {
        String help = VmmCommandLine.helpText();
        for (String option : List.of("-qmp unix:PATH,server=on,wait=off", "-qmp tcp:[HOST]:PORT,server=on,wait=off",
                "-m [size=]SIZE", "-S", "-incoming tcp:[HOST]:PORT | unix:PATH | defer", "-name [guest=]NAME",
                "-uuid UUID", "-no-shutdown", "-no-reboot", "-machine none", "-nodefaults", "-nographic",
                "-display none", "-h, -help", "-version", "--guest PROGRAM[,key=value...]", "--nic HOST:PORT",
                "--disk PATH[,size=SIZE]", "--serial PATH|stdio|none", "--help, --version")) {
            assertThat(help).contains(option);
        }
        assertThat(help.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        assertThat(VmmCommandLine.versionText()).startsWith("vmm (qapi4j) ").endsWith("\n");
    }

    @Test
    void invokePrintsOneLineAndExitsOneOnError() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        VmmCommandLine.Invocation result = VmmCommandLine.invoke(new String[] {"-m", "abc"}, print(out), print(err));
        assertThat(result).isEqualTo(new VmmCommandLine.Invocation.Exit(1));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("vmm: -m abc: Parameter 'size' expects a non-negative number below 2^64" + System.lineSeparator());
    }

    @Test
    void invokePrintsHelpAndVersionAndExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(VmmCommandLine.invoke(new String[] {"--help"}, print(out), print(err)))
                .isEqualTo(new VmmCommandLine.Invocation.Exit(0));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(VmmCommandLine.helpText());
        out.reset();
        assertThat(VmmCommandLine.invoke(new String[] {"--version"}, print(out), print(err)))
                .isEqualTo(new VmmCommandLine.Invocation.Exit(0));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(VmmCommandLine.versionText());
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void invokeRunsWithTheOptions() {
        VmmCommandLine.Invocation result = VmmCommandLine.invoke(new String[] {"-S", "-name", "vm"},
                print(new ByteArrayOutputStream()), print(new ByteArrayOutputStream()));
        assertThat(result).isInstanceOfSatisfying(VmmCommandLine.Invocation.Run.class, run -> {
            assertThat(run.options().startPaused()).isTrue();
            assertThat(run.options().name()).contains("vm");
        });
    }

    @Test
    void optionsAreImmutable() throws Exception {
        VmmOptions options = parse("-qmp", "unix:/tmp/a,server=on,wait=off");
        assertThatThrownBy(() -> options.qmp().add(new ListenAddress.Unix(Path.of("x"))))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new VmmOptions(VmmOptions.Action.RUN, List.of(), 0, false, Optional.empty(),
                Optional.empty(), Optional.empty(), false, false, false, new GuestProgram.KvStore(),
                VmmOptions.DEFAULT_NIC, Optional.empty(), new SerialSpec.None()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
