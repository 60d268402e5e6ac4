package org.qapi4j.vmm.migration.stream;

/** What a section of the migration stream holds; the byte is the section's first. */
public enum SectionKind {
    /** The format version and the machine the guest needs: {@link StreamHeader}. */
    HEADER(1),
    /** Pages of RAM: each a word (page index, zero flag in bit 63), then its bytes unless zero. */
    PAGES(2),
    /** The source's run state, then every device's state. */
    DEVICES(3),
    /** The number of sections and pages sent before it: the stream is whole. */
    END(4),
    /**
     * Source to destination, after {@link #READY}: the source has given the guest up for good
     * ({@code completed}), so the destination may run it. Without this step a destination that
     * loaded the guest could run it while the source, which never heard the {@code READY},
     * resumes it too: two copies of one guest. With it, a connection lost between {@code READY}
     * and {@code GO} leaves the guest stopped on the source ({@code postmigrate}, which {@code
     * cont} resumes), never running twice.
     */
    GO(5),
    /**
     * Source to destination, in the initial stream before its end: capability {@code x-colo} is
     * on, so the migration does not end with the guest moving but enters COLO, both sides running
     * (QEMU sends the same news as a command in its stream).
     */
    COLO_ENABLE(6),
    /** A COLO message ({@code COLOMessage}, one byte) and its value (eight bytes), either way. */
    COLO(7),
    /** The COLO proxy link, primary to secondary: a client's frame, numbered, to mirror. */
    MIRROR(8),
    /** The COLO proxy link, secondary to primary: the secondary guest's answer, to compare. */
    OUTPUT(9),
    /** The first section on an extra connection to an incoming migration's address: what it is for. */
    HELLO(10),
    /** Destination to source: the whole stream arrived intact and is loaded; waiting for {@link #GO}. */
    READY(16),
    /** Destination to source: the stream was refused; the payload says why, in UTF-8. */
    REFUSED(17);

    private final byte code;

    SectionKind(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The kind whose byte is {@code code}, or null for a byte no kind has. */
    static SectionKind of(byte code) {
        for (SectionKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
