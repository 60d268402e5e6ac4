package org.qapi4j.vmm.machine;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link Machine} is made of. {@link Machine#create} checks every field and says what is
 * wrong in a {@link MachineConfigException}; this record only holds them.
 *
 * @param ramBytes guest RAM in bytes, a positive multiple of 4096
 * @param program the guest program's name, one of {@link Machine#programs()}
 * @param programOptions the program's options ({@code name=value}); {@code null} means none
 * @param nicHost the address the NIC listens on, e.g. {@code 127.0.0.1}
 * @param nicPort the NIC's TCP port; 0 picks any free port (see {@link Machine#nicAddress()})
 * @param diskImage the disk image, opened or created; {@code null} gives the machine no disk
 * @param diskBytes the disk's size when the image is created (a positive multiple of 512);
 *     an existing image keeps its own size
 * @param serialLog where the serial log's lines are appended ({@code /dev/stdout} works);
 *     {@code null} discards them
 * @param preallocRam whether every page of guest RAM is allocated when the machine is created
 *     (QEMU's {@code -mem-prealloc}) instead of when the guest first writes it
 */
public record MachineConfig(long ramBytes, String program, Map<String, String> programOptions, String nicHost,
        int nicPort, Path diskImage, long diskBytes, Path serialLog, boolean preallocRam) {
    public MachineConfig {
        programOptions = programOptions == null ? Map.of() : Map.copyOf(programOptions);
    }

    /** A machine whose RAM is allocated as the guest writes it. */
    public MachineConfig(long ramBytes, String program, Map<String, String> programOptions, String nicHost,
            int nicPort, Path diskImage, long diskBytes, Path serialLog) {
        this(ramBytes, program, programOptions, nicHost, nicPort, diskImage, diskBytes, serialLog, false);
    }
}
