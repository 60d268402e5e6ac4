/**
 * Puts generated files on disk for the command line tool and the Maven plugin: incrementally
 * ({@link org.qapi4j.codegen.output.OutputWriter}: only changed files are written, files a
 * previous run generated and this one did not are removed) and not at all when nothing changed
 * ({@link org.qapi4j.codegen.output.InputStamp}).
 */
package org.qapi4j.codegen.output;
