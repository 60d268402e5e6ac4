package org.qapi4j.qmp.types;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/** A value of a QAPI struct or union: a JSON object. */
public interface QapiObject extends QapiValue {
    @Override
    ObjectNode toJson();

    /**
     * Members the schema does not describe, as a newer server sent them: kept so that the caller
     * can see them and a decode/encode round trip loses nothing. Null when there were none.
     */
    @Nullable ObjectNode unknownMembers();
}
