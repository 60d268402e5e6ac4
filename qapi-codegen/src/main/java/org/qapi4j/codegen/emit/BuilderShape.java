package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * A builder for a record with many optional members, so that callers name what they set
 * instead of passing a row of nulls: {@code MigrateArguments.builder().uri(u).detach(true).build()}.
 */
final class BuilderShape {
    private final RecordShape record;

    BuilderShape(RecordShape record) {
        this.record = record;
    }

    void addTo(TypeSpec.Builder spec, ClassName self, List<JavaMember> members) {
        ClassName builder = self.nestedClass(self.simpleName().equals("Builder") ? "Builder_" : "Builder");
        NameScope methods = new NameScope(false).reserve("build");
        TypeSpec.Builder type = TypeSpec.classBuilder(builder)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Builds a {@link $T}; required members must be set before {@link #build()}.\n", self);
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        CodeBlock.Builder args = CodeBlock.builder();
        for (JavaMember member : members) {
            type.addField(FieldSpec.builder(RecordShape.nullable(
                    record.componentType(member).withoutAnnotations().box()), member.javaName(), Modifier.PRIVATE).build());
            MethodSpec.Builder setter = MethodSpec.methodBuilder(methods.allocate(member.javaName()))
                    .addModifiers(Modifier.PUBLIC)
                    .returns(builder)
                    .addParameter(record.parameter(member))
                    .addStatement("this.$L = $L", member.javaName(), member.javaName())
                    .addStatement("return this");
            if (member.doc() != null) {
                setter.addJavadoc("Sets $L\n", member.doc());
            }
            if (member.deprecated()) {
                setter.addAnnotation(GenerationContext.deprecatedAnnotation());
            }
            type.addMethod(setter.build());
            if (!member.optional() && record.componentType(member).isPrimitive()) {
                args.add("$T.requireNonNull($L, $S), ", RuntimeTypes.OBJECTS, member.javaName(), member.wireName());
            } else {
                args.add("$L, ", member.javaName());
            }
        }
        type.addMethod(MethodSpec.methodBuilder("build")
                .addModifiers(Modifier.PUBLIC)
                .returns(self)
                .addStatement("return new $T($L$T.of(), null)", self, args.build(), RuntimeTypes.SET)
                .build());
        spec.addType(type.build());
        spec.addMethod(MethodSpec.methodBuilder("builder")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("A builder, for setting members by name rather than passing nulls for the absent ones.\n")
                .returns(builder)
                .addStatement("return new $T()", builder)
                .build());
    }
}
