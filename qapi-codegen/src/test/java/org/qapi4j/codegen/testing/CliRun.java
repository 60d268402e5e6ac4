package org.qapi4j.codegen.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.qapi4j.codegen.cli.QapiGen;

/** One in-process run of {@code qapi-gen}, through the same entry point as the command line. */
public record CliRun(int status, String out, String err) {

    public static CliRun of(Path workingDirectory, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = QapiGen.run(workingDirectory, new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(status, out.toString(), err.toString());
    }
}
