package org.qapi4j.vmm.monitor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.util.Arrays;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.Replies;
import org.qapi4j.vmm.api.MachineCommands;
import org.qapi4j.vmm.api.NameInfo;
import org.qapi4j.vmm.api.PmemsaveArguments;
import org.qapi4j.vmm.api.UuidInfo;
import org.qapi4j.vmm.machine.memory.GuestRam;

/** The machine module's commands: the VM's name and UUID as given on the command line, and guest memory dumps. */
public final class MachineHandlers implements MachineCommands {
    private final @Nullable String name;
    private final String uuid;
    private final GuestRam ram;

    /**
     * @param name {@code -name}, or null: {@code query-name} then answers an empty object, as QEMU
     * @param uuid {@code -uuid}, QEMU's all-zero UUID when not given
     */
    public MachineHandlers(@Nullable String name, String uuid, GuestRam ram) {
        this.name = name;
        this.uuid = uuid;
        this.ram = ram;
    }

    @Override
    public CompletionStage<NameInfo> queryName(CommandContext context) {
        return Replies.done(new NameInfo(name));
    }

    @Override
    public CompletionStage<UuidInfo> queryUuid(CommandContext context) {
        return Replies.done(new UuidInfo(uuid));
    }

    /**
     * Writes {@code size} bytes of guest memory from {@code val} to {@code filename}, as QEMU's
     * {@code qmp_pmemsave}: the file is created (or truncated) first, and failing that, the
     * answer is QEMU's {@code Could not open 'FILE': REASON}. Addresses beyond guest RAM read as
     * zeros, as unassigned memory reads in QEMU. Where QEMU loops until the disk is full (a
     * negative size), this VMM refuses the request instead.
     */
    @Override
    public CompletionStage<Void> pmemsave(CommandContext context, PmemsaveArguments arguments) {
        if (arguments.filename().isEmpty()) {
            // fopen("") fails with ENOENT; Path.of("") would be the working directory.
            throw openFailure(arguments.filename(), "No such file or directory");
        }
        Path file = Path.of(arguments.filename());
        if (arguments.size() < 0) {
            throw QmpException.generic("Parameter 'size' expects a non-negative size");
        }
        try {
            save(arguments.val(), arguments.size(), file);
        } catch (NoSuchFileException e) {
            throw openFailure(arguments.filename(), "No such file or directory");
        } catch (AccessDeniedException e) {
            throw openFailure(arguments.filename(), "Permission denied");
        } catch (FileSystemException e) {
            throw openFailure(arguments.filename(), e.getReason() != null ? e.getReason() : "Input/output error");
        } catch (IOException e) {
            throw QmpException.generic("An IO error has occurred");
        }
        return Replies.done();
    }

    /**
     * Guest RAM from {@code address} (unsigned, as QEMU's guest-physical addresses) to the file;
     * what lies outside RAM reads as zeros.
     */
    private void save(long address, long size, Path file) throws IOException {
        long end = address + size;
        if (Long.compareUnsigned(end, address) >= 0 && Long.compareUnsigned(end, ram.size()) <= 0) {
            ram.save(address, size, file);
            return;
        }
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; ) {
                int length = (int) Math.min(buffer.length, size - done);
                long at = address + done;
                long inRam = Long.compareUnsigned(at, ram.size()) < 0 ? Math.min(length, ram.size() - at) : 0;
                if (inRam > 0) {
                    ram.read(at, buffer, 0, (int) inRam);
                }
                Arrays.fill(buffer, (int) inRam, length, (byte) 0);
                out.write(buffer, 0, length);
                done += length;
            }
        }
    }

    /** QEMU's {@code error_setg_file_open}: the name as given, and the C library's words for errno. */
    private static QmpException openFailure(String filename, String reason) {
        return QmpException.generic("Could not open '" + filename + "': " + reason);
    }
}
