package org.qapi4j.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.qapi4j.codegen.model.Definition;
import org.qapi4j.codegen.model.Entity;
import org.qapi4j.codegen.model.ObjectType;
import org.qapi4j.codegen.model.ObjectTypeMember;
import org.qapi4j.codegen.model.Schema;

/**
 * What changed between two of QEMU's schemas that a client of one notices in the other's
 * replies: the mandatory members of the object types (structs, unions' base members) that both
 * have by name, which one schema has and the other does not have or makes optional.
 */
final class SchemaHistory {
    /**
     * A mandatory member of {@code type} in one schema that the other may leave out.
     *
     * @param absent true when the other schema does not have the member at all; false when it
     *     has it as optional
     */
    record Change(String type, String member, boolean absent) {
        @Override
        public String toString() {
            return type + "." + member;
        }
    }

    private SchemaHistory() {}

    /**
     * The members mandatory in {@code from}'s types that {@code to}'s types of the same name do
     * not have, or have as optional: what a client generated from {@code from} finds missing
     * in replies shaped by {@code to}. Types only one schema has are not compared; nor are
     * implicit types (command arguments, anonymous bases), which have no name a client sees.
     */
    static List<Change> mandatoryOnlyIn(Schema from, Schema to) {
        Map<String, ObjectType> others = objectTypes(to);
        List<Change> changes = new ArrayList<>();
        objectTypes(from).forEach((name, type) -> {
            ObjectType other = others.get(name);
            if (other == null) {
                return;
            }
            for (ObjectTypeMember member : type.members()) {
                ObjectTypeMember counterpart = member(other, member.name());
                if (!member.optional() && (counterpart == null || counterpart.optional())) {
                    changes.add(new Change(name, member.name(), counterpart == null));
                }
            }
        });
        return changes;
    }

    /** The named object types of {@code schema}, by name. */
    static Map<String, ObjectType> objectTypes(Schema schema) {
        Map<String, ObjectType> types = new TreeMap<>();
        for (Entity entity : schema.entities()) {
            if (entity instanceof ObjectType type && !((Definition) type).isImplicit()) {
                types.put(type.name(), type);
            }
        }
        return types;
    }

    private static ObjectTypeMember member(ObjectType type, String name) {
        for (ObjectTypeMember member : type.members()) {
            if (member.name().equals(name)) {
                return member;
            }
        }
        return null;
    }
}
