package org.qapi4j.codegen.model;

import java.util.Set;

/** The C identifier helpers of QEMU's {@code common.py} that the model relies on. */
public final class CNames {

    private static final Set<String> TICKLISH = Set.of(
            // C89
            "auto", "break", "case", "char", "const", "continue", "default", "do", "double",
            "else", "enum", "extern", "float", "for", "goto", "if", "int", "long", "register",
            "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
            "union", "unsigned", "void", "volatile", "while",
            // C99
            "inline", "restrict", "_Bool", "_Complex", "_Imaginary",
            // C11
            "_Alignas", "_Alignof", "_Atomic", "_Generic", "_Noreturn", "_Static_assert",
            "_Thread_local",
            // GCC
            "asm", "typeof",
            // C++
            "bool", "catch", "class", "const_cast", "delete", "dynamic_cast", "explicit",
            "false", "friend", "mutable", "namespace", "new", "operator", "private",
            "protected", "public", "reinterpret_cast", "static_cast", "template", "this",
            "throw", "true", "try", "typeid", "typename", "using", "virtual", "wchar_t",
            "and", "and_eq", "bitand", "bitor", "compl", "not", "not_eq", "or", "or_eq", "xor",
            "xor_eq",
            // namespace pollution
            "unix", "errno", "mips", "sparc", "i386", "linux");

    private CNames() {
    }

    /** {@code c_name(name)}: a valid C identifier, protected against keywords. */
    public static String cName(String name) {
        return cName(name, true);
    }

    /**
     * {@code c_name(name, protect)}: every character other than an ASCII letter, digit or
     * {@code _} becomes {@code _}; with {@code protect}, C/C++ keywords, a few polluted words and
     * names starting with a digit get the prefix {@code q_}.
     */
    public static String cName(String name, boolean protect) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_';
            if (Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++; // one code point, one '_', as Python's re.sub does
            }
            out.append(ok ? c : '_');
        }
        String result = out.toString();
        if (protect && (TICKLISH.contains(result)
                || !result.isEmpty() && Character.isDigit(result.charAt(0)))) {
            return "q_" + result;
        }
        return result;
    }

    /** {@code camel_to_upper(value)}: {@code EnumName1} becomes {@code ENUM_NAME1}. */
    public static String camelToUpper(String value) {
        StringBuilder ret = new StringBuilder().append(value.charAt(0));
        boolean upc = Character.isUpperCase(value.charAt(0));
        for (int i = 1; i < value.length(); i++) {
            char ch = value.charAt(i);
            boolean chUpper = Character.isUpperCase(ch);
            if (chUpper != upc) {
                if (upc) {
                    int len = ret.length();
                    if (len > 2 && Character.isLetterOrDigit(ret.charAt(len - 2))) {
                        ret.insert(len - 1, '_');
                    }
                } else if (Character.isLetterOrDigit(ret.charAt(ret.length() - 1))) {
                    ret.append('_');
                }
            }
            ret.append(ch);
            upc = chUpper;
        }
        String upper = cName(ret.toString().toUpperCase(java.util.Locale.ROOT));
        int start = 0;
        while (start < upper.length() && upper.charAt(start) == '_') {
            start++;
        }
        return upper.substring(start);
    }

    /** {@code c_enum_const(type_name, const_name, prefix)}; {@code prefix} may be null. */
    public static String cEnumConst(String typeName, String constName, String prefix) {
        String p = prefix != null ? prefix : camelToUpper(typeName);
        return p + "_" + cName(constName, false).toUpperCase(java.util.Locale.ROOT);
    }
}
