package org.qapi4j.tests;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.qapi4j.qmp.types.QapiEnum;
import org.qapi4j.qmp.types.QapiObject;

/**
 * What a tolerant decode kept of a reply that its schema does not describe, counted over the
 * decoded value: objects with unknown members, unknown enum values, union branches and
 * alternatives, and mandatory members found missing.
 */
final class Tolerated {
    long unknownMembers;
    long unknownEnumValues;
    long unknownBranches;
    long unknownAlternatives;
    long missingMembers;
    /** The missing members, as {@code Type.member}. */
    final Set<String> missing = new TreeSet<>();

    /** Counts what {@code value} (a decoded value, a list of them, or a scalar) kept. */
    void count(Object value) {
        if (value instanceof List<?> list) {
            list.forEach(this::count);
        } else if (value instanceof QapiEnum constant) {
            unknownEnumValues += constant.isKnown() ? 0 : 1;
        } else if (value instanceof Record record) {
            boolean unknown = record.getClass().getSimpleName().equals("Unknown");
            if (record instanceof QapiObject object) {
                unknownBranches += unknown ? 1 : 0;
                unknownMembers += object.unknownMembers() != null ? 1 : 0;
                missingMembers += object.missingMembers().size();
                String type = typeName(record.getClass());
                object.missingMembers().forEach(member -> missing.add(type + "." + member));
            } else {
                unknownAlternatives += unknown ? 1 : 0;
            }
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                if (!component.getName().equals("missingMembers") && !component.getName().equals("unknownMembers")) {
                    count(Catalog.invoke(component.getAccessor(), record));
                }
            }
        }
    }

    /** The name of {@code record}'s type: a union branch is named by its union, an event as {@code Event.Stop}. */
    private static String typeName(Class<?> record) {
        Class<?> union = record.getEnclosingClass();
        Class<?> named = union != null && QapiObject.class.isAssignableFrom(union) ? union : record;
        return named.getName().substring(named.getPackageName().length() + 1).replace('$', '.');
    }

    void add(Tolerated other) {
        unknownMembers += other.unknownMembers;
        unknownEnumValues += other.unknownEnumValues;
        unknownBranches += other.unknownBranches;
        unknownAlternatives += other.unknownAlternatives;
        missingMembers += other.missingMembers;
        missing.addAll(other.missing);
    }

    @Override
    public String toString() {
        return String.format("%d objects with unknown members, %d unknown enum values, %d unknown union branches, "
                + "%d unknown alternatives, %d missing members", unknownMembers, unknownEnumValues, unknownBranches,
                unknownAlternatives, missingMembers);
    }
}
