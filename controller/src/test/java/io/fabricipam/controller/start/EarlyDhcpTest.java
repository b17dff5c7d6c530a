package io.fabricipam.controller.start;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EarlyDhcpTest {

    @Test
    void h2IsToldNotToCloseItselfAtExitUnlessTheUrlSays() {
        assertThat(EarlyDhcp.withoutCloseOnExit("jdbc:h2:file:/var/lib/f/fabric-ipam;MODE=PostgreSQL;WRITE_DELAY=0"))
                .isEqualTo("jdbc:h2:file:/var/lib/f/fabric-ipam;MODE=PostgreSQL;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(EarlyDhcp.withoutCloseOnExit("jdbc:h2:file:/x;db_close_on_exit=TRUE")).isEqualTo("jdbc:h2:file:/x;db_close_on_exit=TRUE");
        assertThat(EarlyDhcp.withoutCloseOnExit("jdbc:postgresql://db/fabric")).isEqualTo("jdbc:postgresql://db/fabric");
    }
}
