package org.qapi4j.vmm.cli;

import static org.qapi4j.vmm.cli.UsageException.error;

import java.io.PrintStream;
import java.util.List;
import org.qapi4j.vmm.cli.OptionWords.Item;
import org.qapi4j.vmm.cli.OptionWords.Spec;
import org.qapi4j.vmm.cli.QemuSyntax.SyntaxError;

/**
 * The command line of {@code bin/vmm}: QEMU 7.2's options where QEMU has them, spelled and
 * checked as {@code qemu-system-x86_64} spells and checks them, and the VMM's own, which take two
 * dashes ({@code --guest}, {@code --nic}, {@code --disk}, {@code --serial}).
 *
 * <p>A refused command line is one line on standard error and exit status 1, worded as QEMU 7.2
 * words it where QEMU has the option, with our program name: {@code vmm: -foo: invalid option},
 * {@code vmm: -m: requires an argument}, {@code vmm: -m abc: Parameter 'size' expects a
 * non-negative number below 2^64}, {@code vmm: -uuid x: failed to parse UUID string: wrong
 * format}. Where QEMU prints more than one line, we print the line that says what is wrong: its
 * first (QEMU's hint on size suffixes, and the "parse error" line it adds after a bad {@code
 * -qmp}, are left out). Where QEMU would accept what our VMM does not have, the line is ours,
 * in the same form ({@code vmm: -qmp stdio: only unix: and tcp: monitors are supported}).
 *
 * <p>The parser is written by hand rather than with picocli, although picocli is on the class
 * path: QEMU's conventions are not those of a GNU-style parser, and matching them is the point.
 * QEMU takes {@code -name} and {@code --name} alike but has no {@code --name=VALUE}; an option
 * that takes an argument takes the next word whatever it looks like ({@code -m -S} is a size of
 * "-S"); it reports unknown options and missing arguments in a first pass over all words, and
 * everything else in a second pass, in order, where {@code -h} stops at once; its option
 * arguments are QemuOpts and keyval lists with their own error texts. Expressing all that
 * through picocli's model would take more code than the parser, and its messages would still
 * have to be replaced.
 *
 * <p>The options (see {@link #helpText()}):
 * <ul>
 *   <li>{@code -qmp unix:PATH,server=on,wait=off} and {@code -qmp tcp:[HOST]:PORT,server=on,wait=off},
 *       repeatable, QEMU's short forms {@code server}, {@code nowait} and {@code noserver}
 *       included, booleans as QEMU reads them ({@code on/yes/true/y}, {@code off/no/false/n}).
 *       The monitor must be a server that does not wait: QEMU's client mode (no {@code server})
 *       and {@code wait=on} (QEMU's default with {@code server}) are refused, as are QEMU's
 *       other character devices and socket parameters; parameter names QEMU does not know get
 *       QEMU's "Invalid parameter 'x'".
 *   <li>{@code -m [size=]SIZE}: QEMU's syntax (a plain number is MiB, suffixes B, K, M, G, T,
 *       P, E, fractions such as {@code 1.5G}, hexadecimal), 0 or nothing for QEMU's default 128
 *       MiB, rounded up to 8 KiB as QEMU does; repeated, the last size counts. QEMU's {@code
 *       slots} and {@code maxmem} (memory hotplug) are refused.
 *   <li>{@code -S}; {@code -incoming defer}, {@code -incoming tcp:[HOST]:PORT}, {@code -incoming
 *       unix:PATH} (the last one counts; QEMU's {@code exec:}, {@code fd:}, {@code rdma:} and
 *       {@code vsock:} are refused).
 *   <li>{@code -name [guest=]NAME[,process=P][,debug-threads=on|off]}: {@code process} and
 *       {@code debug-threads} are accepted and have no effect.
 *   <li>{@code -uuid UUID} in QEMU's form (36 characters, hyphens at QEMU's places).
 *   <li>{@code -nodefaults}, {@code -nographic}, {@code -display none}: accepted, no effect; the
 *       VMM has no display and no default devices ({@code -nographic} does not move the serial
 *       port to standard output as QEMU's does: that is {@code --serial stdio}). Other displays
 *       are refused.
 *   <li>{@code -machine none} or {@code -M none} (also {@code type=none}): our one machine, which
 *       is also the default. Other types are QEMU's "unsupported machine type", other
 *       properties QEMU's "Property 'none-machine.x' not found" ({@code accel} is refused in our
 *       words).
 *   <li>{@code -no-shutdown}, {@code -no-reboot}: as QEMU's.
 *   <li>{@code -h}, {@code -help}, {@code --help}; {@code -version}, {@code --version}.
 *   <li>Ours: {@code --guest PROGRAM[,key=value...]} ({@code kvstore}, the default, or {@code
 *       dirty[,rate=N][,wss=SIZE]}), {@code --nic HOST:PORT} (default {@code 127.0.0.1:0}, any
 *       free port), {@code --disk PATH[,size=SIZE]} (once), {@code --serial PATH|stdio|none}
 *       (default {@code none}). Single-valued options other than {@code --disk} may be
 *       repeated, and the last one counts, as in QEMU. Ours take no single-dash form: {@code
 *       -nic} and {@code -serial} are QEMU options we do not have.
 * </ul>
 */
public final class VmmCommandLine {
    /** The program name that starts each error line. */
    public static final String PROGRAM = "vmm";

    private VmmCommandLine() {
    }

    /**
     * Parses {@code args} (without the program name).
     *
     * @return the options; for {@code --help} or {@code --version} the defaults with that {@link
     *     VmmOptions#action()}
     * @throws UsageException with the one line to print, for a command line QEMU would refuse or
     *     that asks for what the VMM does not have
     */
    public static VmmOptions parse(String... args) throws UsageException {
        List<Item> items = OptionWords.read(args);
        QemuOptions qemu = new QemuOptions();
        OwnOptions own = new OwnOptions();
        for (Item item : items) {
            Spec spec = item.spec();
            if (spec == null) {
                throw error(item.word(),
                        "positional arguments are not supported (a disk image is given with --disk PATH)");
            }
            String arg = item.arg();
            try {
                switch (spec.name()) {
                    case "h", "help" -> {
                        return options(VmmOptions.Action.HELP);
                    }
                    case "version" -> {
                        return options(VmmOptions.Action.VERSION);
                    }
                    case "guest", "nic", "disk", "serial", "colo-fault", "colo-arbiter" -> own.take(item, spec.name(), arg);
                    default -> qemu.take(item, spec.name(), arg);
                }
            } catch (SyntaxError e) {
                throw error(item.location(), e.getMessage());
            }
        }
        return qemu.options(own);
    }

    private static VmmOptions options(VmmOptions.Action action) {
        VmmOptions d = VmmOptions.defaults();
        return new VmmOptions(action, d.qmp(), d.memoryBytes(), d.startPaused(), d.incoming(), d.name(),
                d.uuid(), d.noDefaults(), d.noShutdown(), d.noReboot(), d.guest(), d.nic(), d.disk(),
                d.serial());
    }

    /** The text {@code --help} prints. */
    public static String helpText() {
        return UsageText.help();
    }

    /** The text {@code --version} prints. */
    public static String versionText() {
        return UsageText.version();
    }

    /** What {@link #invoke} asks its caller to do. */
    public sealed interface Invocation {
        /** Start the machine with these options. */
        record Run(VmmOptions options) implements Invocation {
        }

        /** Exit now with this status: the help, the version or the error has been printed. */
        record Exit(int status) implements Invocation {
        }
    }

    /**
     * What {@code bin/vmm}'s {@code main} does with its arguments: parses them; prints the help
     * or the version to {@code out} (status 0), or the error line to {@code err} (status 1).
     */
    public static Invocation invoke(String[] args, PrintStream out, PrintStream err) {
        VmmOptions options;
        try {
            options = parse(args);
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.flush();
            return new Invocation.Exit(1);
        }
        switch (options.action()) {
            case HELP -> {
                out.print(helpText());
                out.flush();
                return new Invocation.Exit(0);
            }
            case VERSION -> {
                out.print(versionText());
                out.flush();
                return new Invocation.Exit(0);
            }
            default -> {
                return new Invocation.Run(options);
            }
        }
    }
}
