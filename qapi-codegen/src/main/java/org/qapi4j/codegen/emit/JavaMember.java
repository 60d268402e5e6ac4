package org.qapi4j.codegen.emit;

import java.util.ArrayList;
import java.util.List;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.model.Feature;
import org.qapi4j.codegen.model.ObjectTypeMember;
import org.qapi4j.codegen.model.SchemaType;

/**
 * A member of an object type as the emitters need it: wire name, Java name, type, and what the
 * schema says about it.
 *
 * @param wireName the name on the wire
 * @param javaName the record component, parameter or accessor name
 * @param type its QAPI type
 * @param optional whether it may be absent (then its Java type is boxed and null means absent)
 * @param deprecated whether it has the feature {@code deprecated}
 * @param unstable whether it has the feature {@code unstable}
 * @param doc its description as Javadoc, or null
 * @param flattened true for a union whose members lie in the enclosing object itself (a union
 *     branch whose type is a union): it has no wire name of its own
 */
record JavaMember(
        String wireName, String javaName, SchemaType type, boolean optional,
        boolean deprecated, boolean unstable, String doc, boolean flattened) {

    JavaMember(String wireName, String javaName, SchemaType type, boolean optional,
            boolean deprecated, boolean unstable, String doc) {
        this(wireName, javaName, type, optional, deprecated, unstable, doc, false);
    }

    /** The same member under another Java name. */
    JavaMember renamed(String newJavaName) {
        return new JavaMember(wireName, newJavaName, type, optional, deprecated, unstable, doc, flattened);
    }

    /**
     * The members of an object type that this build keeps, with unique Java names.
     *
     * @param scope names already taken where the members go (it hands out theirs too)
     * @param doc the documentation to take member descriptions from
     */
    static List<JavaMember> of(List<ObjectTypeMember> members, Conditions conditions, NameScope scope, QapiDoc doc) {
        List<JavaMember> result = new ArrayList<>();
        for (ObjectTypeMember member : members) {
            if (!conditions.holds(member.ifCond())) {
                continue;
            }
            result.add(new JavaMember(
                    member.name(),
                    scope.allocate(JavaNames.memberName(member.name())),
                    member.type(),
                    member.optional(),
                    hasFeature(member.features(), "deprecated", conditions),
                    hasFeature(member.features(), "unstable", conditions),
                    Javadocs.member(doc, member.name())));
        }
        return result;
    }

    /** Whether {@code features} has {@code name} in this build. */
    static boolean hasFeature(List<Feature> features, String name, Conditions conditions) {
        for (Feature feature : features) {
            if (feature.name().equals(name) && conditions.holds(feature.ifCond())) {
                return true;
            }
        }
        return false;
    }
}
