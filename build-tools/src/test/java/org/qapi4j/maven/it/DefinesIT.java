package org.qapi4j.maven.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.qapi4j.codegen.output.OutputWriter;

/**
 * The plugin's three ways to define condition symbols, together: {@code <defines>}, {@code
 * <definesFile>} and {@code <definesPreset>}; a changed defines file regenerates, an unknown
 * preset fails the build with one clear line.
 */
class DefinesIT {
    private static final String SOURCES = "target/generated-sources/qapi";

    @Test
    void definesFilePresetAndSymbolsAddUp() throws Exception {
        ScratchProject p = ScratchProject.create("defines")
                .writeFile("src/main/qapi/main.json", """
                        { 'struct': 'Always', 'data': { 'x': 'int' } }
                        { 'struct': 'Vnc', 'data': { 'x': 'int' }, 'if': 'CONFIG_VNC' }
                        { 'struct': 'Arm', 'data': { 'x': 'int' }, 'if': 'TARGET_ARM' }
                        { 'struct': 'FromFile', 'data': { 'x': 'int' }, 'if': 'CONFIG_FROM_FILE' }
                        { 'struct': 'Listed', 'data': { 'x': 'int' }, 'if': 'CONFIG_LISTED' }
                        """)
                .writeFile("src/main/qapi/build.defines", "# this build\nCONFIG_FROM_FILE\n")
                .writePom("""
                        <schema>src/main/qapi/main.json</schema>
                        <packageName>org.example.qmp</packageName>
                        <defines><define>CONFIG_LISTED</define></defines>
                        <definesFile>src/main/qapi/build.defines</definesFile>
                        <definesPreset>qemu-7.2-x86_64</definesPreset>""");

        ScratchProject.Result first = p.mvn("generate-sources");
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(types(p)).containsExactlyInAnyOrder("Always", "Vnc", "FromFile", "Listed");

        // The file's content is part of the input: changing it regenerates.
        p.writeFile("src/main/qapi/build.defines", "# this build\nCONFIG_FROM_FILE\nTARGET_ARM\n");
        ScratchProject.Result second = p.mvn("generate-sources");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).doesNotContain("unchanged since the last run");
        assertThat(types(p)).contains("Arm");

        p.writePom("<schema>src/main/qapi/main.json</schema>\n<definesPreset>qemu-1.0</definesPreset>");
        ScratchProject.Result unknown = p.mvn("generate-sources");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.output()).contains("unknown defines preset 'qemu-1.0' (known: qemu-7.2-x86_64)");
    }

    /** The struct types generated (records named like the schema's structs). */
    private static Set<String> types(ScratchProject p) {
        Set<String> names = new java.util.TreeSet<>();
        for (String file : OutputWriter.readManifest(p.path(SOURCES))) {
            String name = file.substring(file.lastIndexOf('/') + 1);
            if (Set.of("Always.java", "Vnc.java", "Arm.java", "FromFile.java", "Listed.java").contains(name)) {
                names.add(name.substring(0, name.length() - ".java".length()));
            }
        }
        return names;
    }
}
