package org.qapi4j.vmm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.qapi4j.vmm.cli.QemuSyntax.SyntaxError;

/**
 * QEMU 7.2's key=value lists ({@code util/keyval.c}), as {@code -machine} and {@code -display}
 * take them; errors are a {@link SyntaxError} with QEMU's text.
 */
final class QemuKeyval {
    private QemuKeyval() {
    }

    /** One {@code key=value} of a keyval list. */
    record KeyValue(String key, String value) {
    }

    private static final Pattern QAPI_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    /**
     * Splits {@code params} as {@code keyval_parse_into} does ({@code util/keyval.c}), for one
     * level of keys: the first item may omit its key, which is {@code implied} (its value then
     * ends at the first {@code ,} or {@code =}); every other item is {@code key=value}, a value
     * running to the next single comma ({@code ,,} is a comma). A key must be a QAPI name,
     * dotted keys are taken as one key: a bad key is "Invalid parameter 'KEY'", a key without
     * {@code =} "Expected '=' after parameter 'KEY'".
     */
    static List<KeyValue> parseKeyval(String params, String implied) throws SyntaxError {
        List<KeyValue> items = new ArrayList<>();
        String impliedKey = implied;
        int p = 0;
        int n = params.length();
        while (p < n) {
            int len = QemuSyntax.cspn(params, p, "=,");
            if (len > 0 && (p + len >= n || params.charAt(p + len) != '=') && impliedKey != null) {
                items.add(new KeyValue(impliedKey, params.substring(p, p + len)));
                p += len;
                if (p < n && params.charAt(p) == ',') {
                    p++;
                }
                impliedKey = null;
                continue;
            }
            impliedKey = null;
            String key = params.substring(p, p + len);
            for (String fragment : key.split("\\.", -1)) {
                if (!QAPI_NAME.matcher(fragment).matches()) {
                    throw new SyntaxError("Invalid parameter '" + key + "'");
                }
            }
            p += len;
            if (p >= n || params.charAt(p) != '=') {
                throw new SyntaxError("Expected '=' after parameter '" + key + "'");
            }
            int[] end = new int[1];
            String value = QemuSyntax.optValue(params, p + 1, end);
            p = end[0];
            if (p < n && params.charAt(p) == ',') {
                p++;
            }
            items.add(new KeyValue(key, value));
        }
        return items;
    }
}
