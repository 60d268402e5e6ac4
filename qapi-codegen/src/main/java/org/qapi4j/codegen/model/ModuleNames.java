package org.qapi4j.codegen.model;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The file name arithmetic QEMU does with {@code os.path} to name modules. */
final class ModuleNames {

    private ModuleNames() {
    }

    /** Python's {@code os.path.dirname}. */
    static String dirname(String fileName) {
        int slash = fileName.lastIndexOf('/');
        String head = fileName.substring(0, slash + 1);
        if (!head.isEmpty() && !head.chars().allMatch(c -> c == '/')) {
            int end = head.length();
            while (end > 0 && head.charAt(end - 1) == '/') {
                end--;
            }
            head = head.substring(0, end);
        }
        return head;
    }

    /** Python's {@code os.path.relpath(path, start)}, both taken relative to the working directory. */
    static String relpath(String path, String start) {
        Path p = Paths.get(path).toAbsolutePath().normalize();
        Path s = Paths.get(start).toAbsolutePath().normalize();
        String rel = s.relativize(p).toString();
        return rel.isEmpty() ? "." : rel;
    }
}
