package io.fabricipam.fabric.storage.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void keepsOrdinaryTextAsItIs() {
        assertThat(SafeText.log("iqn.2024-01.io.fabricipam:disk1")).isEqualTo("iqn.2024-01.io.fabricipam:disk1");
        assertThat(SafeText.log("école 🚀 ünïcode")).isEqualTo("école 🚀 ünïcode");
        assertThat(SafeText.log((Object) null)).isEqualTo("null");
        assertThat(SafeText.quote("t1")).isEqualTo("'t1'");
    }

    @Test
    void escapesEverythingThatCouldEndOrDisguiseALine() {
        assertThat(SafeText.log("a\nb\rc\td")).isEqualTo("a\\nb\\rc\\td");
        assertThat(SafeText.log("nul\u0000 bell\u0007 del\u007f nel\u0085")).isEqualTo(
                "nul\\u0000 bell\\u0007 del\\u007f nel\\u0085");
        assertThat(SafeText.log("ls\u2028ps\u2029")).isEqualTo("ls\\u2028ps\\u2029");
        assertThat(SafeText.log("rtl\u202eoverride\u2066")).isEqualTo("rtl\\u202eoverride\\u2066");
        assertThat(SafeText.log("lone\ud800")).isEqualTo("lone\\ud800");
        assertThat(SafeText.log("a\\nb")).as("a backslash cannot fake an escape").isEqualTo("a\\\\nb");
        assertThat(SafeText.log("x\ny").lines()).hasSize(1);
    }

    @Test
    void cutsLongValuesAndSaysHowMuchWasLeftOut() {
        String huge = "a".repeat(1 << 20);
        assertThat(SafeText.log(huge)).hasSize(SafeText.MAX_LOGGED + " ... (1048320 more characters)".length() - 1)
                .endsWith("... (1048320 more characters)");
        assertThat(SafeText.quote(huge)).startsWith("'" + "a".repeat(SafeText.MAX_QUOTED) + "...")
                .hasSizeLessThan(120);
        assertThat(SafeText.log("a".repeat(SafeText.MAX_LOGGED))).isEqualTo("a".repeat(SafeText.MAX_LOGGED));
    }

    @Test
    void logsListsShortAndEscaped() {
        assertThat(SafeText.log(List.of("a", "b\nc"))).isEqualTo("[a, b\\nc]");
        List<String> many = new ArrayList<>(Arrays.asList(new String[1000]));
        many.replaceAll(x -> "iqn.2024-01.io.fabricipam:disk");
        assertThat(SafeText.log(many)).hasSizeLessThan(SafeText.MAX_LOGGED + 30).endsWith("(1000 values)");
        assertThat(SafeText.log((List<?>) null)).isEqualTo("null");
    }
}
