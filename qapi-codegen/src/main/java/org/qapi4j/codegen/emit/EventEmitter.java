package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.qapi4j.codegen.model.Event;
import org.qapi4j.codegen.model.ObjectType;

/**
 * Events as records nested in one sealed type: {@code STOP} becomes {@code Event.Stop}, its
 * data members the record's components, and {@code Event.decode} turns an event received on the
 * wire into the right record, or an {@code Event.Unknown} for one this schema does not have.
 *
 * <p>Nesting keeps the sealed type's {@code permits} implicit and every reference to a
 * deprecated event inside one top-level class, where javac does not warn about it.
 */
final class EventEmitter {
    private final GenerationContext context;
    private final RecordShape shape;

    EventEmitter(GenerationContext context) {
        this.context = context;
        this.shape = new RecordShape(context);
    }

    JavaFile emit(List<Event> events) {
        return eventType(events);
    }

    /**
     * The event's data members; for data of a union type (a boxed event), the union itself as
     * one component, since its members depend on its branch.
     */
    private List<JavaMember> members(Event event) {
        ObjectType data = event.argType();
        if (data == null) {
            return List.of();
        }
        if (data.branches() != null) {
            return List.of(new JavaMember(null, "data", data, false, false, false,
                    "the event's data, a {@link " + context.names().type(data.name()).simpleName() + "}", true));
        }
        return StructEmitter.members(context, data.members());
    }

    private TypeSpec eventRecord(Event event) {
        ClassName name = context.names().event(event.name());
        List<JavaMember> members = members(event);
        TypeSpec.Builder record = TypeSpec.recordBuilder(name)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addSuperinterface(context.names().eventType());
        GenerationContext.document(record, context.javadoc(event, Javadocs.recordParams(members, "member")));
        if (context.deprecated(event.features())) {
            record.addAnnotation(GenerationContext.deprecatedAnnotation());
        }
        if (context.unstable(event.features())) {
            record.addAnnotation(GenerationContext.unstableAnnotation());
        }
        record.addField(FieldSpec.builder(String.class, "NAME", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The event's name on the wire.\n")
                .initializer("$S", event.name())
                .build());
        shape.addObjectMembers(record, name, members);
        record.addMethod(MethodSpec.methodBuilder("eventName")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addStatement("return NAME")
                .build());
        return record.build();
    }

    private JavaFile eventType(List<Event> events) {
        ClassName type = context.names().eventType();
        ClassName unknown = context.names().unknownEvent();
        TypeSpec.Builder spec = TypeSpec.interfaceBuilder(type)
                .addModifiers(Modifier.PUBLIC, Modifier.SEALED)
                .addSuperinterface(RuntimeTypes.QMP_EVENT)
                .addJavadoc("An event of this schema, or one it does not have ({@link $T}).\n", unknown);

        MethodSpec.Builder decode = MethodSpec.methodBuilder("decode")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("The event named {@code eventName} with {@code data} (absent when null), read tolerantly:\n"
                        + "members and events this schema does not know are kept, not rejected.\n")
                .returns(type)
                .addParameter(String.class, "eventName")
                .addParameter(RecordShape.nullable(RuntimeTypes.JSON_NODE), "data")
                .addStatement("$T in = $T.tolerant(data != null ? data : $T.object())",
                        RuntimeTypes.QAPI_READER, RuntimeTypes.QAPI_READER, RuntimeTypes.JSON)
                .beginControlFlow("switch (eventName)");
        for (Event event : events) {
            decode.addCode("case $S:\n", event.name())
                    .addStatement("$>return $T.decode(in, null)$<", context.names().event(event.name()));
        }
        decode.addCode("default:\n")
                .addStatement("$>return new $T(eventName, data != null && data.isObject() ? ($T) data : $T.object())$<",
                        unknown, RuntimeTypes.OBJECT_NODE, RuntimeTypes.JSON)
                .endControlFlow();
        spec.addMethod(decode.build());
        for (Event event : events) {
            spec.addType(eventRecord(event));
        }
        spec.addType(unknownEvent());
        return context.file(spec.build(), null);
    }

    private TypeSpec unknownEvent() {
        ClassName unknown = context.names().unknownEvent();
        return TypeSpec.recordBuilder(unknown)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addSuperinterface(context.names().eventType())
                .addJavadoc("An event this schema does not have (sent by a newer server), kept as it was received.\n\n"
                        + "@param eventName the event's name on the wire\n"
                        + "@param data its {@code data} member, empty when it had none\n")
                .recordConstructor(MethodSpec.constructorBuilder()
                        .addParameter(String.class, "eventName")
                        .addParameter(RuntimeTypes.OBJECT_NODE, "data")
                        .build())
                .addMethod(MethodSpec.methodBuilder("toJson")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(RuntimeTypes.OBJECT_NODE)
                        .addStatement("return data")
                        .build())
                .build();
    }
}
