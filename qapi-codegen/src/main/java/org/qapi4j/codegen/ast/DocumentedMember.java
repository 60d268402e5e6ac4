package org.qapi4j.codegen.ast;

import org.qapi4j.codegen.source.SourceInfo;

/**
 * What a documentation comment's {@code @name:} section is connected to: a member, an argument,
 * a branch or a feature of the model. Kept as an interface so that documentation does not depend
 * on the model package.
 */
public interface DocumentedMember {
    String name();

    /** How QEMU calls it in messages: {@code member}, {@code argument}, {@code value}, ... */
    String role();

    SourceInfo info();
}
