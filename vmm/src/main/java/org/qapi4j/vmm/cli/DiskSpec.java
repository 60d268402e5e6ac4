package org.qapi4j.vmm.cli;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * {@code --disk PATH[,size=SIZE]}: the machine's disk, an image file.
 *
 * @param path the image file
 * @param size {@code size=SIZE}: the disk's size in bytes when the image is created (QEMU's size
 *     syntax, bytes without a suffix); an existing image keeps its own size; empty for the
 *     machine's default
 */
public record DiskSpec(Path path, OptionalLong size) {
    public DiskSpec {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(size, "size");
    }
}
