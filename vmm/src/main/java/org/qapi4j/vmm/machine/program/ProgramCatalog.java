package org.qapi4j.vmm.machine.program;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.qapi4j.vmm.machine.MachineConfigException;
import org.qapi4j.vmm.machine.device.DiskImage;
import org.qapi4j.vmm.machine.program.dirty.DirtyProgram;
import org.qapi4j.vmm.machine.program.kvstore.KvstoreProgram;

/** The guest programs a machine can run, by name. */
public final class ProgramCatalog {
    private ProgramCatalog() {}

    /** Makes a program from its options, checking them against the machine's RAM and disk. */
    @FunctionalInterface
    private interface Factory {
        GuestProgram create(ProgramOptions options, long ramBytes, DiskImage disk) throws MachineConfigException;
    }

    private static final Map<String, Factory> FACTORIES = new TreeMap<>(Map.of(
            KvstoreProgram.NAME, KvstoreProgram::create,
            DirtyProgram.NAME, (options, ramBytes, disk) -> DirtyProgram.create(options, ramBytes)));

    /** The programs' names, sorted. */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /**
     * The program {@code name} with {@code options}, for a machine of {@code ramBytes} and
     * {@code disk} (null: none).
     *
     * @throws MachineConfigException if there is no such program or its options do not fit
     */
    public static GuestProgram create(String name, Map<String, String> options, long ramBytes, DiskImage disk)
            throws MachineConfigException {
        Factory factory = name == null ? null : FACTORIES.get(name);
        if (factory == null) {
            throw new MachineConfigException("unknown program '" + name + "'; programs: " + String.join(", ", names()));
        }
        return factory.create(new ProgramOptions(name, options), ramBytes, disk);
    }
}
