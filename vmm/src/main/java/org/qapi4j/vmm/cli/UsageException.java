package org.qapi4j.vmm.cli;

/**
 * A command line {@code bin/vmm} refuses. The message is the one line to print on standard error
 * before exiting with status 1, program name included: {@code vmm: -m abc: Parameter 'size'
 * expects a non-negative number below 2^64}.
 */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String line) {
        super(line);
    }

    /** {@code vmm: LOCATION: MESSAGE}, the location being the option as typed and its argument. */
    static UsageException error(String location, String message) {
        return new UsageException(VmmCommandLine.PROGRAM + ": " + location + ": " + message);
    }

    /** {@code vmm: MESSAGE}, for what QEMU reports without a location. */
    static UsageException error(String message) {
        return new UsageException(VmmCommandLine.PROGRAM + ": " + message);
    }
}
