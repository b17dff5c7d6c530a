package io.fabricipam.fabric.storage.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IscsiNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"iqn.2024-01.io.fabricipam:disk1", "iqn.2008-11.org.linux-kvm",
            "iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-inq", "iqn.1993-08.org.debian:01:abcdef0123",
            "iqn.2001-04.com.example:storage.disk2.sys1.xyz", "iqn.2024-12.example", "iqn.2024-01.io.fabricipam:dïsk",
            "eui.02004567A425678D", "eui.02004567a425678d", "naa.52004567BA64678D",
            "naa.62004567BA64678D0123456789ABCDEF"})
    void acceptsTheThreeForms(String name) {
        assertThat(IscsiName.problem(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "iqn.", "iqn.2024-1.x", "iqn.2024-00.x", "iqn.2024-13.x", "iqn.24-01.x",
            "iqn.2024-01.", "iqn.2024-01.-x", "iqn.2024-01.x-", "iqn.2024-01..x", "iqn.2024-01.x:a b",
            "iqn.2024-01.x:a/b", "iqn.2024-01.x:a_b", "iqn.2024-01.x:\u0000", "iqn.2024-01.x:\n", "iqn.2024-01.x:\u200e",
            "IQN.2024-01.x", "eui.0123", "eui.02004567A425678G", "naa.0123", "naa.0123456789abcdef0", "disk1",
            "iqn.2024-01.x:a\ud800"})
    void refusesEverythingElse(String name) {
        assertThat(IscsiName.problem(name)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(ints = {222, 223})
    void takesUpTo223Bytes(int length) {
        String prefix = "iqn.2024-01.io.fabricipam:";
        assertThat(IscsiName.isValid(prefix + "x".repeat(length - prefix.length()))).isTrue();
        assertThat(IscsiName.problem(prefix + "x".repeat(224 - prefix.length()))).hasValue(
                "is 224 bytes long; iSCSI names have at most 223");
        // 223 characters, but more bytes in UTF-8
        assertThat(IscsiName.isValid(prefix + "é".repeat(223 - prefix.length()))).isFalse();
    }
}
