package org.qapi4j.codegen.output;

/**
 * What one {@link OutputWriter#write} did.
 *
 * @param written files created or whose content changed
 * @param unchanged files whose content was already right and were left alone (timestamps kept)
 * @param deleted files a previous run generated that this run did not
 */
public record WriteResult(int written, int unchanged, int deleted) {

    WriteResult plus(WriteResult other) {
        return new WriteResult(written + other.written, unchanged + other.unchanged, deleted + other.deleted);
    }

    @Override
    public String toString() {
        return written + " written, " + unchanged + " unchanged, " + deleted + " deleted";
    }
}
