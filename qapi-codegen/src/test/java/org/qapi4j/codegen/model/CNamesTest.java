package org.qapi4j.codegen.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CNamesTest {

    @Test
    void cName() {
        assertThat(CNames.cName("__a.b_c")).isEqualTo("__a_b_c");
        assertThat(CNames.cName("x-foo")).isEqualTo("x_foo");
        assertThat(CNames.cName("int")).isEqualTo("q_int");
        assertThat(CNames.cName("int", false)).isEqualTo("int");
        assertThat(CNames.cName("unix")).isEqualTo("q_unix");
        assertThat(CNames.cName("1x")).isEqualTo("q_1x");
        assertThat(CNames.cName("\u00e9t\u00e9")).isEqualTo("_t_");
    }

    @Test
    void camelToUpperAndEnumConstants() {
        assertThat(CNames.camelToUpper("ENUMName")).isEqualTo("ENUM_NAME");
        assertThat(CNames.camelToUpper("EnumName1")).isEqualTo("ENUM_NAME1");
        // What common.py really returns (its docstring promises ENUM_NAME1 etc.).
        assertThat(CNames.camelToUpper("ENUM_NAME1")).isEqualTo("ENU_M_NAM_E1");
        assertThat(CNames.camelToUpper("ENUM_Name2")).isEqualTo("ENU_M_NAME2");
        assertThat(CNames.camelToUpper("ENUM24_Name")).isEqualTo("ENU_M24_NAME");
        assertThat(CNames.camelToUpper("QType")).isEqualTo("QTYPE");
        assertThat(CNames.cEnumConst("QType", "qnull", null)).isEqualTo("QTYPE_QNULL");
        assertThat(CNames.cEnumConst("X", "a-b", "PFX")).isEqualTo("PFX_A_B");
    }
}
