package io.fabricipam.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ToolsTest {

    @Test
    void toolsAreRequiredInCiOrWhenScriptsTestSaysSo() {
        assertThat(Tools.required(null, null)).isFalse();
        assertThat(Tools.required("false", "")).isFalse();
        assertThat(Tools.required("true", null)).isTrue();
        assertThat(Tools.required(null, "true")).isTrue();
        assertThat(Tools.required(" TRUE ", "false")).isTrue();
        assertThat(Tools.required("1", "yes")).as("only 'true' switches it on").isFalse();
    }

    @Test
    void aMissingToolSkipsOrFailsByTheSwitch() {
        String missing = "no-such-tool-" + System.nanoTime();
        String before = System.getProperty(Tools.REQUIRE_PROPERTY);
        try {
            System.setProperty(Tools.REQUIRE_PROPERTY, "true");
            assertThatThrownBy(() -> Tools.require(missing)).isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining(missing + " is not installed");
            if (!Tools.required()) {
                return; // cannot happen: the property is set
            }
            System.setProperty(Tools.REQUIRE_PROPERTY, "false");
            if (!"true".equalsIgnoreCase(String.valueOf(System.getenv("CI")).trim())) {
                assertThatThrownBy(() -> Tools.require(missing)).isInstanceOf(TestAbortedException.class)
                        .hasMessageContaining(missing + " is not installed");
            }
        } finally {
            if (before == null) {
                System.clearProperty(Tools.REQUIRE_PROPERTY);
            } else {
                System.setProperty(Tools.REQUIRE_PROPERTY, before);
            }
        }
    }

    @Test
    void aPresentToolIsFound() {
        assertThat(Tools.require("sh")).isNotNull();
        assertThat(Files.isExecutable(Tools.require("sh"))).isTrue();
    }

    @Test
    void theNewestInstalledPostgresqlIsChosenByNumberNotByName(@TempDir Path root) throws Exception {
        for (String version : new String[] {"9.6", "15", "16", "100"}) {
            Path bin = Files.createDirectories(root.resolve(version).resolve("bin"));
            if (!version.equals("100")) { // 100 has no server in it
                for (String tool : new String[] {"initdb", "pg_ctl"}) {
                    Files.createFile(bin.resolve(tool)).toFile().setExecutable(true);
                }
            }
        }
        assertThat(PostgresServer.newestInstalled(root)).contains(root.resolve("16").resolve("bin"));
        assertThat(PostgresServer.newestInstalled(root.resolve("none"))).isEmpty();
    }
}
