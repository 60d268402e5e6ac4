package org.qapi4j.codegen.emit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How QAPI names become Java names.
 *
 * <p>QAPI names mix conventions: types are CamelCase, members and commands lower-case with
 * dashes ({@code x-checkpoint-delay}), events UPPER_CASE, enum values anything QEMU allowed
 * over the years ({@code finish-migrate}, {@code kp_0}, {@code 1}), and downstream extensions
 * carry a prefix ({@code __com.redhat_foo}). Each becomes what a Java programmer would write:
 * {@code xCheckpointDelay}, {@code FINISH_MIGRATE}, {@code ComRedhatFoo}. Names that would be
 * keywords or clash with what every record already has get a trailing underscore. The wire name
 * is never lost: generated code always keeps it next to the Java name.
 */
final class JavaNames {
    private static final Set<String> KEYWORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
            "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
            "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
            "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
            "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
            "non-sealed", "_");

    /** Names a record component cannot have, and names our records already use. */
    private static final Set<String> RESERVED_MEMBERS = Set.of(
            "clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait",
            "equals", "toJson", "unknownMembers", "missingMembers", "eventName", "wireName", "isKnown", "decode", "builder");

    private JavaNames() {}

    /** The words of a QAPI name: split at anything but letters and digits. */
    private static List<String> words(String name) {
        List<String> words = new ArrayList<>();
        for (String word : name.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    private static String capitalize(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /** A type name: CamelCase names stay as they are; others are joined as CamelCase. */
    static String typeName(String qapiName) {
        if (qapiName.matches("[A-Z][A-Za-z0-9]*")) {
            return qapiName;
        }
        StringBuilder name = new StringBuilder();
        for (String word : words(qapiName)) {
            name.append(capitalize(word));
        }
        return safeStart(name.toString(), "T");
    }

    /** A class name from a lower-case or UPPER_CASE name: {@code host_cdrom} → {@code HostCdrom}. */
    static String className(String qapiName) {
        StringBuilder name = new StringBuilder();
        for (String word : words(qapiName)) {
            name.append(capitalize(word.toLowerCase(Locale.ROOT)));
        }
        return safeStart(name.toString(), "T");
    }

    /**
     * A type name from a schema file's path, without its extension, directories included:
     * {@code run-state.json} → {@code RunState}, {@code sub/sub-module.json} → {@code SubSubModule}.
     */
    static String fileTypeName(String path) {
        int dot = path.lastIndexOf('.');
        String stem = dot > path.lastIndexOf('/') + 1 ? path.substring(0, dot) : path;
        StringBuilder name = new StringBuilder();
        for (String word : words(stem)) {
            name.append(capitalize(word));
        }
        return safeStart(name.toString(), "Schema");
    }

    /** A member, parameter or method name: {@code x-checkpoint-delay} → {@code xCheckpointDelay}. */
    static String memberName(String qapiName) {
        List<String> words = words(qapiName);
        StringBuilder name = new StringBuilder();
        for (String word : words) {
            if (name.length() == 0) {
                name.append(word.equals(word.toUpperCase(Locale.ROOT))
                        ? word.toLowerCase(Locale.ROOT)
                        : Character.toLowerCase(word.charAt(0)) + word.substring(1));
            } else {
                name.append(capitalize(word));
            }
        }
        String result = safeStart(name.toString(), "m");
        return KEYWORDS.contains(result) || RESERVED_MEMBERS.contains(result) ? result + "_" : result;
    }

    /** An enum constant: {@code finish-migrate} → {@code FINISH_MIGRATE}, {@code 1} → {@code _1}. */
    static String constantName(String qapiName) {
        String name = String.join("_", words(qapiName)).toUpperCase(Locale.ROOT);
        if (name.isEmpty()) {
            return "_";
        }
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    private static String safeStart(String name, String prefixIfEmpty) {
        if (name.isEmpty()) {
            return prefixIfEmpty;
        }
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }
}
