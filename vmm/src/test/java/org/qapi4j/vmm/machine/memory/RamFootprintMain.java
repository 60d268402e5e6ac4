package org.qapi4j.vmm.machine.memory;

import org.qapi4j.vmm.machine.ForkedJvm;

/**
 * Allocates a 1 GiB guest RAM, writes one page in every 256 (1024 pages, 4 MiB), scans every
 * page for zero and reads every page as migration would, then prints one line of figures:
 * {@code pages-written=1024 zero-pages=... rss-kib=... hwm-kib=...}. Run by
 * {@link RamFootprintTest} in a JVM with {@code -Xmx64m}.
 */
public final class RamFootprintMain {
    private RamFootprintMain() {}

    public static void main(String[] args) {
        long before = ForkedJvm.statusKiB("VmRSS");
        try (GuestRam ram = GuestRam.allocate(1L << 30)) {
            long written = 0;
            for (long page = 0; page < ram.pages(); page += 256) {
                ram.writeLong(page * GuestRam.PAGE_SIZE + 64, page + 1);
                written++;
            }
            long zero = 0;
            byte[] buffer = new byte[GuestRam.PAGE_SIZE];
            for (long page = 0; page < ram.pages(); page++) {
                if (ram.isZeroPage(page)) {
                    zero++;
                }
                ram.readPage(page, buffer);
            }
            System.out.println("pages-written=" + written + " zero-pages=" + zero + " dirty=" + ram.dirtyLog().dirtyCount()
                    + " rss-before-kib=" + before + " rss-kib=" + ForkedJvm.statusKiB("VmRSS") + " hwm-kib=" + ForkedJvm.statusKiB("VmHWM")
                    + " backing=" + ram.backingDirectory());
        }
    }
}
