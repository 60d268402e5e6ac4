/**
 * Generation in a child JVM tuned for a short batch job, for build tools whose own JVM is tuned
 * for long runs (the Maven plugin).
 */
package org.qapi4j.codegen.fork;
