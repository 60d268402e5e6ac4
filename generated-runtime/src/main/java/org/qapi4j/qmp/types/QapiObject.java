package org.qapi4j.qmp.types;

import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * A value of a QAPI struct or union: a JSON object.
 *
 * <p>A client's value keeps what it received even where a server differs from the schema the
 * code was generated from, so that a decode/encode round trip loses nothing and adds nothing:
 * members a newer server added are in {@link #unknownMembers()}, and mandatory members the
 * server did not send (it is older, or newer and dropped them) are named in
 * {@link #missingMembers()}. Only a tolerant reader (a client's) produces either; a strict one
 * (a server's) rejects both with QEMU's errors.
 */
public interface QapiObject extends QapiValue {
    /**
     * The value as QMP sends it: its members, those in {@link #unknownMembers()} included and
     * those in {@link #missingMembers()} left out.
     */
    @Override
    ObjectNode toJson();

    /**
     * Members the schema does not describe, as the server sent them (a newer server's additions,
     * or an older one's members that this schema no longer has): kept so that the caller can see
     * them and a decode/encode round trip loses nothing. Null when there were none.
     */
    @Nullable ObjectNode unknownMembers();

    /**
     * Mandatory members the server did not send, by wire name, in schema order; empty when none
     * (always, for a value decoded strictly or built by a caller). Such a member reads as the
     * default of its Java type: {@code null}, or {@code 0}, {@code 0.0} or {@code false} for a
     * primitive, which is why this set, not the value, says whether it was there.
     * {@link #toJson()} leaves them out.
     */
    Set<String> missingMembers();
}
