package org.qapi4j.qmp.codec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a {@link QapiReader} is in its input: the stack of objects and arrays it has open, and
 * how far each has been read. It is what QEMU's QObject input visitor keeps in its own stack,
 * and for the same reasons: to find the next value, to know which members were never read
 * (and which of them QEMU would name), and to name the place of an error,
 * {@code a.b[2].c}. The scalar checks are the reader's; this class only moves through the
 * tree.
 */
final class OpenContainers {
    private final JsonNode root;
    private final CompatPolicy policy;
    private final Deque<Frame> stack = new ArrayDeque<>();

    OpenContainers(JsonNode root, CompatPolicy policy) {
        this.root = root;
        this.policy = policy;
    }

    /** An open object or array, and how far it has been read. */
    private abstract static sealed class Frame permits ObjectFrame, ArrayFrame {
        final @Nullable String name;

        Frame(@Nullable String name) {
            this.name = name;
        }
    }

    private static final class ObjectFrame extends Frame {
        final ObjectNode node;
        final Set<String> unread;
        /** The members read, in the order they were read: QEMU's choice of error depends on it. */
        final List<String> visited = new ArrayList<>();
        /** Special features of members, declared by the decoder; null when none is. */
        @Nullable Map<String, Integer> special;
        /** Mandatory members found absent by a tolerant reader, in the order read; null when none. */
        @Nullable Set<String> missing;

        ObjectFrame(@Nullable String name, ObjectNode node) {
            super(name);
            this.node = node;
            this.unread = new LinkedHashSet<>(node.propertyNames());
        }
    }

    private static final class ArrayFrame extends Frame {
        final JsonNode node;
        /** The element read last; -1 before the first, as QEMU counts. */
        int index = -1;

        ArrayFrame(@Nullable String name, JsonNode node) {
            super(name);
            this.node = node;
        }
    }

    /**
     * The value named {@code name} in the innermost container (the next element, in an
     * array; the root, when nothing is open), or null when absent. {@code consume} marks it
     * read, after the compatibility policy had its say on the member.
     */
    @Nullable JsonNode find(@Nullable String name, boolean consume) {
        Frame top = stack.peek();
        if (top == null) {
            return root;
        }
        if (top instanceof ObjectFrame object) {
            if (consume && object.special != null) {
                // QEMU's visit_policy_reject, before the member is visited (present or not).
                Integer features = object.special.get(name);
                String refused = features == null ? null : policy.refusal("parameter", name, features);
                if (refused != null) {
                    throw QmpException.generic(refused);
                }
            }
            JsonNode value = object.node.get(name);
            if (consume && value != null && object.unread.remove(name)) {
                object.visited.add(name);
            }
            return value;
        }
        ArrayFrame array = (ArrayFrame) top;
        int next = array.index + 1;
        JsonNode value = next < array.node.size() ? array.node.get(next) : null;
        if (consume) {
            array.index = next;
        }
        return value;
    }

    /**
     * QEMU's name for what is being read: member names joined by dots, array indexes in
     * brackets, from the root: {@code a.b[2].c}.
     */
    String fullName(@Nullable String name) {
        StringBuilder path = new StringBuilder();
        String current = name;
        for (Frame frame : stack) {
            if (frame instanceof ObjectFrame) {
                path.insert(0, current != null ? current : "<anonymous>");
                path.insert(0, '.');
            } else {
                path.insert(0, "[" + ((ArrayFrame) frame).index + "]");
            }
            current = frame.name;
        }
        if (current != null) {
            path.insert(0, current);
        } else if (path.length() > 0 && path.charAt(0) == '.') {
            path.deleteCharAt(0);
        } else if (path.length() == 0) {
            return "<anonymous>";
        }
        return path.toString();
    }

    void openObject(@Nullable String name, ObjectNode node) {
        stack.push(new ObjectFrame(name, node));
    }

    /** Records that member {@code name} of the innermost object has special {@code features}. */
    void specialFeatures(String name, int features) {
        ObjectFrame object = (ObjectFrame) stack.peek();
        if (object.special == null) {
            object.special = new HashMap<>();
        }
        object.special.put(name, features);
    }

    /**
     * Closes the innermost object. {@code strict}: a member nobody read is an error, naming the
     * one QEMU names ({@link UnexpectedMember}). Otherwise the members nobody read are
     * returned; null when there are none.
     */
    @Nullable ObjectNode closeObject(boolean strict) {
        ObjectFrame object = (ObjectFrame) stack.peek();
        ObjectNode unknown = null;
        if (!object.unread.isEmpty()) {
            if (strict) {
                String member = UnexpectedMember.reported(object.node.propertyNames(), object.visited, object.unread);
                throw QmpException.generic("Parameter '" + fullName(member) + "' is unexpected");
            }
            unknown = Json.object();
            for (String key : object.unread) {
                unknown.set(key, object.node.get(key));
            }
        }
        stack.pop();
        return unknown;
    }

    /** Records that mandatory member {@code name} of the innermost object is absent (a tolerant read). */
    void markMissing(String name) {
        ObjectFrame object = (ObjectFrame) stack.peek();
        if (object.missing == null) {
            object.missing = new LinkedHashSet<>();
        }
        object.missing.add(name);
    }

    /** The mandatory members of the innermost object found absent so far, in the order read. */
    Set<String> missingMembers() {
        ObjectFrame object = (ObjectFrame) stack.peek();
        return object.missing == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(object.missing));
    }

    void openArray(@Nullable String name, JsonNode node) {
        stack.push(new ArrayFrame(name, node));
    }

    /** Whether the innermost array has elements not read yet. */
    boolean hasNextElement() {
        ArrayFrame array = (ArrayFrame) stack.peek();
        return array.index + 1 < array.node.size();
    }

    void closeArray() {
        stack.pop();
    }
}
