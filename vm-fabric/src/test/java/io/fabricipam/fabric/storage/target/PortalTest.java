package io.fabricipam.fabric.storage.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortalTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1:3261       | 127.0.0.1     | 3261 | 127.0.0.1:3261
            storage-a.lan:13361  | storage-a.lan | 13361 | storage-a.lan:13361
            10.0.0.2             | 10.0.0.2      | 3260 | 10.0.0.2:3260
            [::1]:3260           | ::1           | 3260 | [::1]:3260
            [fe80::1]            | fe80::1       | 3260 | [fe80::1]:3260
            '  10.0.0.2:3262 '   | 10.0.0.2      | 3262 | 10.0.0.2:3262
            """)
    void parsesHostAndPortAndPrintsThemBack(String text, String host, int port, String printed) {
        Portal portal = Portal.parse(text);
        assertThat(portal.host()).isEqualTo(host);
        assertThat(portal.port()).isEqualTo(port);
        assertThat(portal).hasToString(printed);
        assertThat(Portal.parse(portal.toString())).isEqualTo(portal);
    }

    @Test
    void anIpv6HostIsKeptWithoutBracketsWhicheverWayItCame() {
        assertThat(new Portal("[::1]", 3260)).isEqualTo(new Portal("::1", 3260)).isEqualTo(Portal.parse("[::1]:3260"));
        assertThat(new Portal("::1", 3260).host()).isEqualTo("::1");
    }

    @Test
    void aListenerMayAskForAnyPort() {
        assertThat(new Portal("127.0.0.1", 0)).hasToString("127.0.0.1:0");
        assertThat(new Portal("127.0.0.1", 65535).port()).isEqualTo(65535);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ::1:3260          | IPv6 portals need brackets: '::1:3260'
            fe80::1           | IPv6 portals need brackets: 'fe80::1'
            [::1:3260         | unclosed IPv6 literal: '[::1:3260'
            [::1]3260         | expected [v6]:port, not '[::1]3260'
            10.0.0.2:iscsi    | not a port (0 to 65535) in '10.0.0.2:iscsi'
            10.0.0.2:         | not a port (0 to 65535) in '10.0.0.2:'
            [::1]:            | not a port (0 to 65535) in '[::1]:'
            10.0.0.2:70000    | not a port (0 to 65535) in '10.0.0.2:70000'
            10.0.0.2:-1       | not a port (0 to 65535) in '10.0.0.2:-1'
            :3260             | a portal needs a host
            []:3260           | a portal needs a host
            a/b:3260          | 'a/b' is neither an IPv4 address (a.b.c.d), an IPv6 literal ([v6]) nor a host name (letters, digits and '-' between dots)
            [zz::1]:3260      | 'zz::1' is not an IPv6 address
            """)
    void refusesWhatIsNotAPortalAndSaysWhy(String text, String message) {
        assertThatThrownBy(() -> Portal.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void refusesPortsTooLongToBeNumbersWithoutQuotingThemWhole() {
        assertThatThrownBy(() -> Portal.parse("10.0.0.2:99999999999"))
                .hasMessage("not a port (0 to 65535) in '10.0.0.2:99999999999'");
        assertThatThrownBy(() -> Portal.parse("10.0.0.2:" + "9".repeat(1 << 20)))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void theConstructorChecksHostAndPortToo() {
        assertThatThrownBy(() -> new Portal(null, 3260)).hasMessage("a portal needs a host");
        assertThatThrownBy(() -> new Portal(" ", 3260)).hasMessage("a portal needs a host");
        assertThatThrownBy(() -> new Portal("10.0.0.2", 65536)).hasMessage("port out of range: 65536");
    }
}
