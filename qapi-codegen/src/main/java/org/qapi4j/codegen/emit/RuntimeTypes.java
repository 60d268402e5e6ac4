package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;

/**
 * The runtime ({@code org.qapi4j:qmp-runtime}) and library types generated code uses, named by
 * string: the generator must not depend on the runtime it generates for.
 */
final class RuntimeTypes {
    private RuntimeTypes() {}

    private static final String QMP = "org.qapi4j.qmp";

    static final ClassName QAPI_READER = ClassName.get(QMP + ".codec", "QapiReader");
    static final ClassName JSON = ClassName.get(QMP + ".json", "Json");
    static final ClassName QAPI_VALUE = ClassName.get(QMP + ".types", "QapiValue");
    static final ClassName QAPI_OBJECT = ClassName.get(QMP + ".types", "QapiObject");
    static final ClassName QAPI_ENUM = ClassName.get(QMP + ".types", "QapiEnum");
    static final ClassName QAPI_NULL = ClassName.get(QMP + ".types", "QapiNull");
    static final ClassName QMP_EVENT = ClassName.get(QMP + ".types", "QmpEvent");
    static final ClassName UNSTABLE = ClassName.get(QMP + ".types", "Unstable");
    static final ClassName MEMBERS = ClassName.get(QMP + ".types", "Members");
    static final ClassName SCHEMA_ORIGIN = ClassName.get(QMP + ".types", "SchemaOrigin");
    static final ClassName QEMU_VERSION = ClassName.get(QMP + ".types", "QemuVersion");
    static final ClassName QMP_EXCEPTION = ClassName.get(QMP, "QmpException");
    static final ClassName ERROR_CLASS = ClassName.get(QMP, "ErrorClass");
    static final ClassName COMMAND_CONTEXT = ClassName.get(QMP + ".dispatch", "CommandContext");
    static final ClassName COMMAND_DISPATCHER = ClassName.get(QMP + ".dispatch", "CommandDispatcher");
    static final ClassName COMMAND_SPEC = ClassName.get(QMP + ".dispatch", "CommandSpec");
    static final ClassName QMP_SCHEMA = ClassName.get(QMP + ".dispatch", "QmpSchema");
    static final ClassName QMP_TRANSPORT = ClassName.get(QMP + ".client", "QmpTransport");

    static final ClassName JSON_NODE = ClassName.get("tools.jackson.databind", "JsonNode");
    static final ClassName OBJECT_NODE = ClassName.get("tools.jackson.databind.node", "ObjectNode");
    static final ClassName NULLABLE = ClassName.get("org.jspecify.annotations", "Nullable");

    static final ClassName LIST = ClassName.get("java.util", "List");
    static final ClassName MAP = ClassName.get("java.util", "Map");
    static final ClassName SET = ClassName.get("java.util", "Set");
    static final ClassName LINKED_HASH_MAP = ClassName.get("java.util", "LinkedHashMap");
    static final ClassName COLLECTIONS = ClassName.get("java.util", "Collections");
    static final ClassName OBJECTS = ClassName.get("java.util", "Objects");
    static final ClassName COMPLETION_STAGE = ClassName.get("java.util.concurrent", "CompletionStage");
    static final ClassName COMPLETABLE_FUTURE = ClassName.get("java.util.concurrent", "CompletableFuture");
}
