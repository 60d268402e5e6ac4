package org.qapi4j.codegen.check;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * QAPI's naming rules (expr.py's {@code check_name_*} and {@code check_defn_name_str}).
 *
 * <p>A name is ASCII letters, digits, {@code -} and {@code _}, starting with a letter, optionally
 * behind a downstream prefix {@code __RFQDN_} and/or the experimental prefix {@code x-}; the
 * {@code q_} namespace is reserved for generated names. The case convention then depends on what
 * is named: events are upper case, commands and members lower case, types CamelCase.
 *
 * <p>The regular expressions reproduce Python's {@code re} exactly, because the first error wins
 * and must be QEMU's:
 * <ul>
 *   <li>QEMU compiles the name pattern with {@code re.IGNORECASE} on a {@code str}, so its
 *       {@code [a-z]} also accepts the four non-ASCII letters that case-fold into ASCII:
 *       U+0130, U+0131, U+017F and U+212A (Python 3.11). {@link #LETTER} lists them.
 *   <li>Python's {@code $} also matches before a final {@code \n}; Java's does the same only
 *       for {@code \n} under {@link Pattern#UNIX_LINES}.
 *   <li>{@code re.match} anchors at the start only: {@link Matcher#lookingAt()}.
 * </ul>
 */
final class NameRules {

    /** Python's {@code [a-z]} under {@code re.IGNORECASE}, as a Java class body. */
    private static final String LETTER = "a-zA-Z\u0130\u0131\u017F\u212A";

    /** expr.py's {@code valid_name}; group 3 is the stem without prefixes. */
    private static final Pattern VALID_NAME = Pattern.compile(
            "(__[" + LETTER + "0-9.-]+_)?"
                    + "([xX]-)?"
                    + "([" + LETTER + "][" + LETTER + "0-9_-]*)$",
            Pattern.UNIX_LINES);

    private static final Pattern CAMEL_CASE =
            Pattern.compile("[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$", Pattern.UNIX_LINES);
    private static final Pattern LOWER_OR_DASH = Pattern.compile("[a-z-]");
    private static final Pattern UPPER = Pattern.compile("[A-Z]");

    private NameRules() {
    }

    /** Rejects a name that is not a string; {@code source} says whose name it is. */
    static void checkIsStr(Object name, SourceInfo info, String source) {
        if (!PyValues.isStr(name)) {
            throw new SchemaException(info, source + " requires a string name");
        }
    }

    /**
     * Checks the general name syntax and the reserved {@code q_} prefix.
     *
     * @return the stem: the name without its downstream and experimental prefixes
     */
    static String checkStr(String name, SourceInfo info, String source) {
        // The whole 'q_' namespace belongs to c_name() and the implicit types q_empty, q_obj_*.
        Matcher match = VALID_NAME.matcher(name);
        if (!match.lookingAt() || cName(name).startsWith("q_")) {
            throw new SchemaException(info, source + " has an invalid name");
        }
        return match.group(3);
    }

    /** Event names: the stem must not use lower case or {@code -}. */
    static void checkUpper(String name, SourceInfo info, String source) {
        String stem = checkStr(name, info, source);
        if (LOWER_OR_DASH.matcher(stem).find()) {
            throw new SchemaException(info, "name of " + source + " must not use lowercase or '-'");
        }
    }

    /** Command and member names: the stem must not use upper case or {@code _}. */
    static void checkLower(String name, SourceInfo info, String source) {
        checkLower(name, info, source, false, false);
    }

    /**
     * Command and member names, with the exceptions pragmas may grant.
     *
     * @param permitUpper also accept upper case ({@code member-name-exceptions})
     * @param permitUnderscore also accept {@code _} ({@code member-name-exceptions},
     *     {@code command-name-exceptions})
     */
    static void checkLower(String name, SourceInfo info, String source,
            boolean permitUpper, boolean permitUnderscore) {
        String stem = checkStr(name, info, source);
        if ((!permitUpper && UPPER.matcher(stem).find())
                || (!permitUnderscore && stem.contains("_"))) {
            throw new SchemaException(info, "name of " + source + " must not use uppercase or '_'");
        }
    }

    /** Type names: the stem must be CamelCase. */
    static void checkCamel(String name, SourceInfo info, String source) {
        String stem = checkStr(name, info, source);
        if (!CAMEL_CASE.matcher(stem).lookingAt()) {
            throw new SchemaException(info, "name of " + source + " must use CamelCase");
        }
    }

    /**
     * The name of a top-level definition, by its meta-type. Type names must not end in
     * {@code List}, which is how array types are named.
     */
    static void checkDefinitionName(String name, SourceInfo info, String meta) {
        if (meta.equals("event")) {
            checkUpper(name, info, meta);
        } else if (meta.equals("command")) {
            checkLower(name, info, meta, false,
                    info.pragma().commandNameExceptions().contains(name));
        } else {
            checkCamel(name, info, meta);
            if (name.endsWith("List")) {
                throw new SchemaException(info, meta + " name should not end in 'List'");
            }
        }
    }

    /**
     * common.py's {@code c_name(name, protect=False)}: every code point other than an ASCII
     * letter, digit or {@code _} becomes one {@code _}.
     */
    static String cName(String name) {
        StringBuilder result = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> result.append(isCIdentChar(cp) ? (char) cp : '_'));
        return result.toString();
    }

    private static boolean isCIdentChar(int cp) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')
                || (cp >= '0' && cp <= '9') || cp == '_';
    }
}
