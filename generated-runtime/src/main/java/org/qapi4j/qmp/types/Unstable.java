package org.qapi4j.qmp.types;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks what the schema gives the feature {@code unstable}: an experimental command, member,
 * enum value or event that may change or go away without the usual deprecation period (in
 * QEMU, typically the ones named {@code x-...}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.RECORD_COMPONENT,
        ElementType.PARAMETER})
public @interface Unstable {}
