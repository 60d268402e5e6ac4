package org.qapi4j.codegen.emit;

import java.util.HashMap;
import java.util.Map;
import org.qapi4j.codegen.model.Schema;

/**
 * The Java class names a generation run gives the schema's definitions, as the generator itself
 * allocates them ({@link TypeNames} is package-private): the round-trip tests pair each
 * generated class with its model definition through this, instead of re-implementing the
 * naming rules. Lives in the emitter's package for that access only (tests run on the class
 * path, so the split package is harmless).
 */
public final class GeneratedNames {
    private final TypeNames names;
    private final Map<String, String> clientMethods = new HashMap<>();

    public GeneratedNames(Schema schema, GeneratorOptions options) {
        Selection selection = Selection.of(schema, options.conditions());
        this.names = new TypeNames(options.packageName(), selection);
        CommandEmitter commands = new CommandEmitter(new GenerationContext(schema, options, names));
        for (CommandEmitter.JavaCommand command : commands.javaCommands(selection.commands())) {
            clientMethods.put(command.command().name(), command.method());
        }
    }

    /** The binary name of the generated client, {@code QmpClient}. */
    public String client() {
        return names.client().reflectionName();
    }

    /** The binary name of {@code SchemaIntrospection}. */
    public String introspection() {
        return names.introspection().reflectionName();
    }

    /** The name of the client's method that sends command {@code commandName}, or null. */
    public String clientMethod(String commandName) {
        return clientMethods.get(commandName);
    }

    /** The binary name of the class of an enum, struct, union or alternate. */
    public String type(String qapiName) {
        return names.type(qapiName).reflectionName();
    }

    /** The binary name of an event's record. */
    public String event(String qapiName) {
        return names.event(qapiName).reflectionName();
    }

    /** The binary name of a command's argument record, or null when it has none of its own. */
    public String arguments(String commandName) {
        var name = names.arguments(commandName);
        return name == null ? null : name.reflectionName();
    }

    public String eventType() {
        return names.eventType().reflectionName();
    }

    public String unknownEvent() {
        return names.unknownEvent().reflectionName();
    }
}
