/**
 * The command line of {@code bin/vmm}: {@link org.qapi4j.vmm.cli.VmmCommandLine} parses it into
 * an immutable {@link org.qapi4j.vmm.cli.VmmOptions}, with QEMU 7.2's spelling, syntax and error
 * texts for the options QEMU has, and prints the help and version. Nothing here opens a socket
 * or a file: the options only say what to open.
 */
package org.qapi4j.vmm.cli;
