package org.qapi4j.vmm.migration.settings;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.vmm.api.BitmapMigrationBitmapAlias;
import org.qapi4j.vmm.api.BitmapMigrationNodeAlias;

/**
 * QEMU 7.2's {@code check_dirty_bitmap_mig_alias_map} ({@code migration/block-dirty-bitmap.c}):
 * whether a {@code block-bitmap-mapping} is well formed, checked by building the map once from
 * names to aliases and once back ({@code construct_alias_map}), QEMU's text prefixed as {@code
 * migrate_params_check} does. We have no dirty bitmaps, but a malformed mapping is refused by
 * QEMU itself, so the refusal must be QEMU's; {@link VmmLimits} then refuses a well-formed,
 * non-empty one as ours.
 */
final class BitmapMappingCheck {
    /** {@code sizeof(BlockDriverState.node_name) - 1}. */
    private static final int MAX_NODE_NAME = 31;
    /** {@code BDRV_BITMAP_MAX_NAME_SIZE}. */
    private static final int MAX_BITMAP_NAME = 1023;
    private static final int MAX_ALIAS = 255;
    private static final String PREFIX = "Invalid mapping given for block-bitmap-mapping: ";

    private BitmapMappingCheck() {}

    static void check(List<BitmapMigrationNodeAlias> mapping) {
        construct(mapping, true);
        construct(mapping, false);
    }

    private static void construct(List<BitmapMigrationNodeAlias> mapping, boolean nameToAlias) {
        Set<String> nodes = new HashSet<>();
        for (BitmapMigrationNodeAlias node : mapping) {
            if (!wellFormed(node.alias())) {
                throw fail("The node alias '" + node.alias() + "' is not well-formed");
            }
            if (bytes(node.alias()) > MAX_ALIAS) {
                throw fail("The node alias '" + node.alias() + "' is longer than 255 bytes");
            }
            if (bytes(node.nodeName()) > MAX_NODE_NAME) {
                throw fail("The node name '" + node.nodeName() + "' is longer than 31 bytes");
            }
            String nodeFrom = nameToAlias ? node.nodeName() : node.alias();
            if (!nodes.add(nodeFrom)) {
                throw fail(nameToAlias ? "The node name '" + nodeFrom + "' is mapped twice"
                        : "The node alias '" + nodeFrom + "' is used twice");
            }
            Set<String> bitmaps = new HashSet<>();
            for (BitmapMigrationBitmapAlias bitmap : node.bitmaps()) {
                if (bytes(bitmap.alias()) > MAX_ALIAS) {
                    throw fail("The bitmap alias '" + bitmap.alias() + "' is longer than 255 bytes");
                }
                if (bytes(bitmap.name()) > MAX_BITMAP_NAME) {
                    throw fail("The bitmap name '" + bitmap.name() + "' is longer than 1023 bytes");
                }
                String from = nameToAlias ? bitmap.name() : bitmap.alias();
                if (!bitmaps.add(from)) {
                    throw fail(nameToAlias
                            ? "The bitmap '" + node.nodeName() + "'/'" + from + "' is mapped twice"
                            : "The bitmap alias '" + node.alias() + "'/'" + from + "' is used twice");
                }
            }
        }
    }

    /** QEMU's {@code id_wellformed}: an ASCII letter, then ASCII letters, digits, '-', '.', '_'. */
    static boolean wellFormed(String id) {
        if (id.isEmpty() || !letter(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!letter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '.' && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean letter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static QmpException fail(String text) {
        return QmpException.generic(PREFIX + text);
    }
}
