package org.qapi4j.vmm.migration.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.qapi4j.qmp.QmpException;

/** QEMU 7.2's check_dirty_bitmap_mig_alias_map, through migrate-set-parameters. */
class BitmapMappingCheckTest {
    private static final String LONG = "a".repeat(256);
    private static final String NAME = "b".repeat(1024);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[{\"node-name\": \"a\", \"alias\": \"1x\", \"bitmaps\": []}]|The node alias '1x' is not well-formed",
        "[{\"node-name\": \"a\", \"alias\": \"\", \"bitmaps\": []}]|The node alias '' is not well-formed",
        "[{\"node-name\": \"a\", \"alias\": \"a b\", \"bitmaps\": []}]|The node alias 'a b' is not well-formed",
        "[{\"node-name\": \"a\", \"alias\": \"LONG\", \"bitmaps\": []}]|The node alias 'LONG' is longer than 255 bytes",
        "[{\"node-name\": \"abcdefghijklmnopqrstuvwxyz0123456\", \"alias\": \"x\", \"bitmaps\": []}]|The node name 'abcdefghijklmnopqrstuvwxyz0123456' is longer than 31 bytes",
        "[{\"node-name\": \"a\", \"alias\": \"x\", \"bitmaps\": []}, {\"node-name\": \"a\", \"alias\": \"y\", \"bitmaps\": []}]|The node name 'a' is mapped twice",
        "[{\"node-name\": \"a\", \"alias\": \"x\", \"bitmaps\": []}, {\"node-name\": \"b\", \"alias\": \"x\", \"bitmaps\": []}]|The node alias 'x' is used twice",
        "[{\"node-name\": \"a\", \"alias\": \"x\", \"bitmaps\": [{\"name\": \"b\", \"alias\": \"LONG\"}]}]|The bitmap alias 'LONG' is longer than 255 bytes",
        "[{\"node-name\": \"a\", \"alias\": \"x\", \"bitmaps\": [{\"name\": \"NAME\", \"alias\": \"c\"}]}]|The bitmap name 'NAME' is longer than 1023 bytes",
        "[{\"node-name\": \"a\", \"alias\": \"x\", \"bitmaps\": [{\"name\": \"b\", \"alias\": \"c\"}, {\"name\": \"b\", \"alias\": \"d\"}]}]|The bitmap 'a'/'b' is mapped twice",
        "[{\"node-name\": \"a\", \"alias\": \"x\", \"bitmaps\": [{\"name\": \"b\", \"alias\": \"c\"}, {\"name\": \"d\", \"alias\": \"c\"}]}]|The bitmap alias 'x'/'c' is used twice"})
    void malformedMappingsGetQemusText(String mapping, String text) {
        MigrationSettings settings = new MigrationSettings();
        String json = "{\"block-bitmap-mapping\": " + mapping.replace("LONG", LONG).replace("NAME", NAME) + "}";
        try {
            settings.setParameters(MigrationSettingsTest.params(json));
            throw new AssertionError("accepted");
        } catch (QmpException e) {
            assertThat(e.error().description()).isEqualTo(
                    "Invalid mapping given for block-bitmap-mapping: " + text.replace("LONG", LONG).replace("NAME", NAME));
        }
        assertThat(settings.parameters().blockBitmapMapping()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a", "Ab-c.d_9", "z"})
    void wellFormedIds(String id) {
        assertThat(BitmapMappingCheck.wellFormed(id)).isTrue();
        assertThatCode(() -> BitmapMappingCheck.check(java.util.List.of())).doesNotThrowAnyException();
    }
}
