package org.qapi4j.vmm.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a process listens on a Unix socket, without connecting (QEMU serves one client a socket). */
final class UnixSockets {
    private UnixSockets() {}

    /** Linux lists a listening socket in {@code /proc/net/unix} with the accepting flag. */
    static boolean listening(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try {
            String path = socket.toAbsolutePath().toString();
            for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
                String[] fields = line.trim().split("\\s+");
                // Num RefCount Protocol Flags Type St Inode Path; Flags 00010000 = accepting.
                if (fields.length >= 8 && fields[7].equals(path) && fields[3].equals("00010000")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
