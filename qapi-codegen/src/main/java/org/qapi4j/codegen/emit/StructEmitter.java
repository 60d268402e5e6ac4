package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.qapi4j.codegen.model.ObjectType;
import org.qapi4j.codegen.model.ObjectTypeMember;

/**
 * A struct as a record. Members of its base come first, as QEMU lays them out: a struct with a
 * base has all of the base's members, not a reference to a base object.
 */
final class StructEmitter {
    private final GenerationContext context;
    private final RecordShape shape;

    StructEmitter(GenerationContext context) {
        this.context = context;
        this.shape = new RecordShape(context);
    }

    JavaFile emit(ObjectType type) {
        ClassName name = context.names().type(type.name());
        List<JavaMember> members = members(context, type.members());
        TypeSpec.Builder record = TypeSpec.recordBuilder(name)
                .addModifiers(Modifier.PUBLIC)
                .addSuperinterface(RuntimeTypes.QAPI_OBJECT);
        GenerationContext.document(record, context.javadoc(type, Javadocs.recordParams(members, "member")));
        shape.addObjectMembers(record, name, members);
        return context.file(record.build(), type);
    }

    /** The members as record components, each documented where the schema documents it. */
    static List<JavaMember> members(GenerationContext context, List<ObjectTypeMember> members) {
        NameScope scope = new NameScope(false);
        List<JavaMember> result = new java.util.ArrayList<>();
        for (ObjectTypeMember member : members) {
            result.addAll(JavaMember.of(List.of(member), context.conditions(), scope,
                    context.docOfMembersOf(member.definedIn())));
        }
        return result;
    }
}
