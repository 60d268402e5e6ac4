/**
 * The migration stream: how a guest's RAM and device state travel from one VMM to another (and,
 * later, COLO's checkpoints).
 *
 * <p>A stream is an 8-byte magic, {@code QAPI4JMS}, then sections. Every section is framed the
 * same way, and checksummed whole:
 *
 * <pre>
 *   1 byte   kind ({@link org.qapi4j.vmm.migration.stream.SectionKind})
 *   4 bytes  payload length, big-endian
 *   n bytes  payload
 *   4 bytes  CRC-32C of the kind, the length and the payload
 * </pre>
 *
 * So any corrupted byte is detected, in page data too (QEMU checksums nothing; CRC-32C is a
 * CPU instruction on x86 and ARM, which the JVM uses, so it costs a few percent of throughput).
 * The first section is the {@link org.qapi4j.vmm.migration.stream.StreamHeader header}: the
 * format's version and the machine the guest needs (page size, RAM size, guest program), which
 * the destination checks before it loads anything. Then page sections (each page a word with
 * its index and a zero flag, followed by its bytes unless it is a zero page; consecutive zero
 * pages as one word with a run flag and a word with their count), the device
 * section (the source's run state and every device's state), and the end section, which counts
 * what came before it so that a stream cut at a section boundary is detected too.
 *
 * <p>The destination answers on the same connection, with sections of the same framing: {@code
 * READY} once the end section checked out, or {@code REFUSED} with a reason; the source answers
 * {@code READY} with {@code GO}, and only then does the destination run the guest (see {@link
 * org.qapi4j.vmm.migration.stream.SectionKind#GO} for why).
 */
package org.qapi4j.vmm.migration.stream;
