package org.qapi4j.qmp.monitor;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.QmpError;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.codec.QapiReader;
import org.qapi4j.qmp.dispatch.CommandSpec;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.wire.JsonMessage;
import org.qapi4j.qmp.wire.QDictOrder;
import org.qapi4j.qmp.wire.QemuJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * QEMU 7.2's {@code qmp_dispatch} ({@code qapi/qmp-dispatch.c}) and the negotiation commands of
 * {@code monitor/qmp-cmds-control.c}: checks one request and runs it, answering every failure
 * with QEMU's error class and text. Stateless; the monitor's negotiation state is its session's.
 *
 * <p>The checks run in the order QEMU's {@code QDict} iterates the request's members, so that
 * with several problems the same one is reported.
 */
final class RequestDispatch {
    private static final System.Logger LOG = System.getLogger(RequestDispatch.class.getName());
    private static final CommandSpec CAPABILITIES_SPEC =
            new CommandSpec(BuiltinCommands.CAPABILITIES, false, true, true, false, false, false);
    private static final String EXPECTING = "Expecting capabilities negotiation with 'qmp_capabilities'";

    private final MonitorHub hub;

    RequestDispatch(MonitorHub hub) {
        this.hub = hub;
    }

    /** Whether {@code message} asks for out-of-band execution: QEMU takes those in at once. */
    static boolean isOutOfBand(JsonMessage message) {
        return message instanceof JsonMessage.Value value && value.json().isObject()
                && value.json().has("exec-oob") && !value.json().has("execute");
    }

    /**
     * Checks and runs one request of {@code session}; completes with the reply, or null when
     * there is none to send (a {@code success-response: false} command succeeded, or the reply
     * was sent already). Never completes exceptionally.
     */
    CompletionStage<@Nullable ObjectNode> execute(MonitorSession session, JsonMessage message, boolean allowOob) {
        if (message instanceof JsonMessage.ParseError error) {
            return done(errorReply(QmpError.generic(error.description()), null));
        }
        JsonNode request = ((JsonMessage.Value) message).json();
        if (!request.isObject()) {
            return done(errorReply(QmpError.generic("QMP input must be a JSON object"), null));
        }
        JsonNode requestId = request.get("id");
        String problem = checkShape(request, allowOob);
        if (problem != null) {
            return done(errorReply(QmpError.generic(problem), requestId));
        }
        boolean outOfBand = !request.has("execute");
        String command = request.get(outOfBand ? "exec-oob" : "execute").stringValue();
        boolean negotiating = !session.negotiated();
        CommandSpec spec = findCommand(command, negotiating);
        if (spec == null) {
            return done(errorReply(new QmpError(ErrorClass.COMMAND_NOT_FOUND,
                    negotiating ? EXPECTING : "The command " + command + " has not been found"), requestId));
        }
        String refused = compatPolicyRefusal(spec);
        if (refused != null) {
            return done(errorReply(new QmpError(ErrorClass.COMMAND_NOT_FOUND, refused), requestId));
        }
        if (outOfBand && !spec.allowOob()) {
            return done(errorReply(QmpError.generic("The command " + command + " does not support OOB"), requestId));
        }
        if (!spec.allowPreconfig() && !hub.machineReady()) {
            // QEMU's qmp_command_available.
            return done(errorReply(QmpError.generic("The command '" + command
                    + "' is permitted only after machine initialization has completed"), requestId));
        }
        ObjectNode arguments = (ObjectNode) request.get("arguments");
        if (command.equals(BuiltinCommands.CAPABILITIES)) {
            return done(capabilities(session, arguments, requestId, negotiating));
        }
        CompletionStage<JsonNode> answer;
        try {
            answer = hub.dispatcher().dispatch(command, arguments, session.context(outOfBand));
            if (answer == null) {
                answer = CompletableFuture.completedFuture(null);
            }
        } catch (Throwable t) {
            answer = CompletableFuture.failedFuture(t);
        }
        return answer.handle((value, failure) -> {
            try {
                if (failure != null) {
                    QmpError error = toError(session, failure, command);
                    if (negotiating && error.errorClass().equals(ErrorClass.COMMAND_NOT_FOUND)) {
                        error = new QmpError(ErrorClass.COMMAND_NOT_FOUND, EXPECTING);
                    }
                    return errorReply(error, requestId);
                }
                if (!spec.successResponse()) {
                    return null;
                }
                ObjectNode reply = Json.object();
                reply.set("return", value == null || value.isNull() || value.isMissingNode() ? Json.object() : value);
                if (requestId != null) {
                    reply.set("id", requestId);
                }
                return reply;
            } catch (Throwable t) {
                LOG.log(Level.ERROR, session.id() + ": cannot answer " + command, t);
                return errorReply(QmpError.generic("Internal error answering " + command), requestId);
            }
        });
    }

    /** QEMU's {@code qmp_dispatch_check_obj}: the first problem, in QDict order, or null. */
    private static @Nullable String checkShape(JsonNode request, boolean allowOob) {
        List<String> names = new ArrayList<>(request.size());
        request.propertyNames().forEach(names::add);
        String execKey = null;
        for (String name : QDictOrder.of(names)) {
            JsonNode value = request.get(name);
            if (name.equals("execute") || (name.equals("exec-oob") && allowOob)) {
                if (!value.isString()) {
                    return "QMP input member '" + name + "' must be a string";
                }
                if (execKey != null) {
                    return "QMP input member '" + name + "' clashes with '" + execKey + "'";
                }
                execKey = name;
            } else if (name.equals("arguments")) {
                if (!value.isObject()) {
                    return "QMP input member 'arguments' must be an object";
                }
            } else if (!name.equals("id")) {
                return "QMP input member '" + name + "' is unexpected";
            }
        }
        return execKey == null ? "QMP input lacks member 'execute'" : null;
    }

    private @Nullable CommandSpec findCommand(String command, boolean negotiating) {
        if (command.equals(BuiltinCommands.CAPABILITIES)) {
            CommandSpec spec = hub.dispatcher().commands().get(BuiltinCommands.CAPABILITIES);
            return spec != null ? spec : CAPABILITIES_SPEC;
        }
        return negotiating ? null : hub.dispatcher().commands().get(command);
    }

    /** QEMU's {@code compat_policy_input_ok} for a command: the refusal, or null to serve it. */
    private @Nullable String compatPolicyRefusal(CommandSpec spec) {
        int features = (spec.deprecated() ? QapiReader.DEPRECATED : 0) | (spec.unstable() ? QapiReader.UNSTABLE : 0);
        return hub.compatPolicy().refusal("command", spec.name(), features);
    }

    /**
     * {@code qmp_capabilities}, as QEMU's monitor serves it: arguments decoded strictly first,
     * then the state checked. On success the reply is sent here, as the session switches to
     * negotiated, so that no event reaches the client before it.
     */
    private @Nullable ObjectNode capabilities(MonitorSession session, @Nullable ObjectNode arguments,
            @Nullable JsonNode requestId, boolean negotiating) {
        try {
            QapiReader in = QapiReader.strict(arguments != null ? arguments : Json.object());
            in.beginObject(null);
            List<String> enable = List.of();
            if (in.has("enable")) {
                enable = in.readList("enable", (reader, name) -> {
                    String value = reader.readEnum(name);
                    if (!value.equals("oob")) {
                        reader.unknownEnumValue(name, value);
                    }
                    return value;
                });
            }
            in.endObject();
            if (!negotiating) {
                throw new QmpException(ErrorClass.COMMAND_NOT_FOUND,
                        "Capabilities negotiation is already complete, command ignored");
            }
            if (!enable.isEmpty() && !hub.offerOob()) {
                throw QmpException.generic("Capability " + String.join(", ", enable) + " not available");
            }
            ObjectNode reply = Json.object();
            reply.set("return", Json.object());
            if (requestId != null) {
                reply.set("id", requestId);
            }
            session.negotiate(enable.contains("oob"), QemuJson.line(reply));
            return null;
        } catch (QmpException e) {
            return errorReply(e.error(), requestId);
        }
    }

    private static QmpError toError(MonitorSession session, Throwable failure, String command) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof QmpException qmp) {
            return qmp.error();
        }
        LOG.log(Level.ERROR, session.id() + ": handler of " + command + " failed", cause);
        String message = cause.getMessage();
        return QmpError.generic(message != null && !message.isBlank() ? message : cause.getClass().getName());
    }

    private static CompletionStage<@Nullable ObjectNode> done(@Nullable ObjectNode reply) {
        return CompletableFuture.completedFuture(reply);
    }

    /** {@code {"error": {"class": ..., "desc": ...}, "id": ...}} in QEMU's insertion order. */
    static ObjectNode errorReply(QmpError error, @Nullable JsonNode requestId) {
        ObjectNode reply = Json.object();
        ObjectNode body = reply.putObject("error");
        body.put("class", error.errorClass().name());
        body.put("desc", error.description());
        if (requestId != null) {
            reply.set("id", requestId);
        }
        return reply;
    }
}
