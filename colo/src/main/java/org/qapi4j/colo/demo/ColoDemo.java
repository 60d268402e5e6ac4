package org.qapi4j.colo.demo;

import java.io.PrintStream;
import picocli.CommandLine;

/**
 * {@code bin/colo-demo}: COLO's demonstration (see {@link Demonstration}). Exit status 0 when
 * everything checked out, 1 when something did not, 2 for a bad option (one line on stderr).
 */
public final class ColoDemo {
    private ColoDemo() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the demonstration with {@code args} and returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        DemoOptions options = new DemoOptions();
        CommandLine command = new CommandLine(options);
        try {
            command.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("colo-demo: " + e.getMessage() + " (see --help)");
            return 2;
        }
        if (command.isUsageHelpRequested()) {
            command.usage(out);
            return 0;
        }
        if (command.isVersionHelpRequested()) {
            out.println("colo-demo 0.1.0");
            return 0;
        }
        String wrong = options.check();
        if (wrong != null) {
            err.println("colo-demo: " + wrong);
            return 2;
        }
        try {
            return new Demonstration(options, out).run() ? 0 : 1;
        } catch (Exception e) {
            err.println("colo-demo: " + e);
            return 1;
        }
    }
}
