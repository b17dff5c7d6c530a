package io.fabricipam.controller.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DhcpPropertiesTest {

    @Test
    void theJournalWindowSuitsTheJournalUnlessSet() {
        assertThat(properties(null, DhcpProperties.JournalMode.FILE, false).effectiveJournalWindow())
                .as("file journal, no fsync: a write() is cheap, holding replies back only bunches them").isZero();
        assertThat(properties(null, DhcpProperties.JournalMode.FILE, true).effectiveJournalWindow())
                .isEqualTo(Duration.ofMillis(2));
        assertThat(properties(null, DhcpProperties.JournalMode.DATABASE, false).effectiveJournalWindow())
                .isEqualTo(Duration.ofMillis(2));
        assertThat(properties(Duration.ofMillis(5), DhcpProperties.JournalMode.FILE, false).effectiveJournalWindow())
                .as("an operator's setting wins").isEqualTo(Duration.ofMillis(5));
    }

    private static DhcpProperties properties(Duration window, DhcpProperties.JournalMode mode, boolean fsync) {
        return new DhcpProperties(Duration.ofSeconds(30), Duration.ofHours(24), 0, 4096, 512, window, mode, fsync,
                Duration.ofSeconds(1), new DhcpProperties.Udp(null, 67, null, 1500));
    }
}
