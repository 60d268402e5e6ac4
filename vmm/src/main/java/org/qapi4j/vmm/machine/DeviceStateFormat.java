package org.qapi4j.vmm.machine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qapi4j.vmm.machine.device.Device;

/**
 * The machine's device state as a stream, which migration and COLO send:
 *
 * <pre>
 * int    magic 0x51344A44 ("Q4JD")
 * int    format version, 1
 * UTF    program name       } the machine the state belongs to: a load
 * long   RAM bytes          } into a machine of another kind is refused
 * int    number of sections
 * then per device:  UTF name, int state version, int length, length bytes of state
 * </pre>
 *
 * Loading is all or nothing: every section is read and matched to a device first, then each
 * device loads its own; if one fails, the devices already loaded get their previous state back.
 */
final class DeviceStateFormat {
    private DeviceStateFormat() {}

    static final int MAGIC = 0x51344A44;
    static final int VERSION = 1;
    /** Far above any device's state (the NIC's is under 1 MiB): a corrupt length cannot exhaust the heap. */
    static final int MAX_SECTION = 16 << 20;

    static void save(DataOutput out, String program, long ramBytes, List<Device> devices) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(program);
        out.writeLong(ramBytes);
        out.writeInt(devices.size());
        for (Device device : devices) {
            byte[] state = stateOf(device);
            out.writeUTF(device.name());
            out.writeInt(device.stateVersion());
            out.writeInt(state.length);
            out.write(state);
        }
    }

    static void load(DataInput in, String program, long ramBytes, List<Device> devices) throws IOException {
        Map<Device, byte[]> sections = read(in, program, ramBytes, devices);
        Map<Device, byte[]> previous = new LinkedHashMap<>();
        for (Device device : devices) {
            previous.put(device, stateOf(device));
        }
        List<Device> loaded = new ArrayList<>();
        try {
            for (Device device : devices) {
                loadSection(device, sections.get(device));
                loaded.add(device);
            }
        } catch (IOException | RuntimeException e) {
            for (Device device : loaded) {
                try {
                    loadSection(device, previous.get(device));
                } catch (IOException restoreFailed) {
                    e.addSuppressed(restoreFailed); // its own state, just saved: not expected
                }
            }
            throw e;
        }
    }

    /** Reads and checks the whole stream: the machine's identity, then one section per device. */
    private static Map<Device, byte[]> read(DataInput in, String program, long ramBytes, List<Device> devices) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException(String.format("not qapi4j device state (magic 0x%08x)", magic));
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("device state of format version " + version + "; this VMM reads version " + VERSION);
        }
        String savedProgram = in.readUTF();
        long savedRam = in.readLong();
        if (!savedProgram.equals(program) || savedRam != ramBytes) {
            throw new IOException("the device state is of a machine running " + savedProgram + " with " + savedRam
                    + " bytes of RAM; this machine runs " + program + " with " + ramBytes);
        }
        Map<String, Device> byName = new LinkedHashMap<>();
        for (Device device : devices) {
            byName.put(device.name(), device);
        }
        int count = in.readInt();
        if (count != devices.size()) {
            throw new IOException("the device state has " + count + " sections; this machine has " + devices.size()
                    + " devices (" + String.join(", ", byName.keySet()) + ")");
        }
        Map<Device, byte[]> sections = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            Device device = byName.get(name);
            if (device == null || sections.containsKey(device)) {
                throw new IOException("the device state has a section '" + name + "' that matches no device of this machine ("
                        + String.join(", ", byName.keySet()) + ")");
            }
            int sectionVersion = in.readInt();
            if (sectionVersion != device.stateVersion()) {
                throw new IOException("section '" + name + "' is of version " + sectionVersion + "; this VMM reads version "
                        + device.stateVersion());
            }
            int length = in.readInt();
            if (length < 0 || length > MAX_SECTION) {
                throw new IOException("section '" + name + "' claims " + length + " bytes");
            }
            byte[] state = new byte[length];
            in.readFully(state);
            sections.put(device, state);
        }
        return sections;
    }

    private static void loadSection(Device device, byte[] state) throws IOException {
        ByteArrayInputStream bytes = new ByteArrayInputStream(state);
        try {
            device.load(new DataInputStream(bytes));
        } catch (java.io.EOFException e) {
            throw new IOException("section '" + device.name() + "' is truncated", e);
        }
        if (bytes.available() > 0) {
            throw new IOException("section '" + device.name() + "' has " + bytes.available() + " bytes its device did not read");
        }
    }

    private static byte[] stateOf(Device device) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        device.save(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
