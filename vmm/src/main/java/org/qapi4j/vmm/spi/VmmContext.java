package org.qapi4j.vmm.spi;

import java.io.PrintStream;
import org.qapi4j.vmm.cli.VmmOptions;
import org.qapi4j.vmm.migration.MigrationService;
import org.qapi4j.vmm.vm.VirtualMachine;

/**
 * What an extension of the VMM gets to work with: the machine under its run-state rules, the
 * migration service, the command line's options, and where the VMM reports on standard error.
 */
public record VmmContext(VirtualMachine vm, MigrationService migration, VmmOptions options, PrintStream stderr,
        String program) {}
