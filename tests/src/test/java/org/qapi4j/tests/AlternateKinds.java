package org.qapi4j.tests;

import java.util.ArrayList;
import java.util.List;
import org.qapi4j.codegen.model.AlternateType;
import org.qapi4j.codegen.model.Variant;

/** Which JSON kinds (QEMU's QTYPEs) an alternate takes, and so which ones a decoder must tolerate. */
final class AlternateKinds {
    private AlternateKinds() {}

    /** The QTYPEs none of whose values any alternative of {@code alternate} takes. */
    static List<String> unknownTo(AlternateType alternate) {
        List<String> kinds = new ArrayList<>(List.of("QTYPE_QDICT", "QTYPE_QLIST", "QTYPE_QSTRING", "QTYPE_QNUM",
                "QTYPE_QBOOL", "QTYPE_QNULL"));
        for (Variant variant : alternate.alternatives().variants()) {
            kinds.remove(variant.type().alternateQType());
        }
        return kinds;
    }
}
