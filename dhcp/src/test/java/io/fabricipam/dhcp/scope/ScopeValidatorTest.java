package io.fabricipam.dhcp.scope;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ScopeValidatorTest {

    private static final Ipv4Network NET = Ipv4Network.parse("10.20.0.0/16");

    static Scope scope(List<AddressRange> pools, List<AddressRange> exclusions, ScopeOptions options) {
        return new Scope(UUID.randomUUID(), "lab", NET, Ipv4Address.parse("10.20.0.1"), 0, pools, exclusions, 3600, null,
                null, options, null, null, 0);
    }

    static ScopeOptions options(String domainName, List<String> search, String tftpServer, String bootFile) {
        return new ScopeOptions(null, domainName, search, null, null, null, tftpServer, bootFile, null);
    }

    static List<String> fields(List<Violation> violations) {
        return violations.stream().map(Violation::field).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pxelinux-\u00e9.0", "pxe\u0000linux.0", "pxe\nlinux.0", "pxe\u007flinux.0", "\u00a0", "\ud83d\ude00"})
    void textTheEncoderRefusesIsAViolationOfItsField(String text) {
        assertThat(fields(ScopeValidator.validate(scope(List.of(), List.of(), options(null, null, null, text)))))
                .containsExactly("options.bootFile");
        assertThat(fields(ScopeValidator.validate(scope(List.of(), List.of(), options(null, null, text, null)))))
                .containsExactly("options.tftpServer");
        assertThat(fields(ScopeValidator.validate(scope(List.of(), List.of(), options(text, null, null, null)))))
                .containsExactly("options.domainName");
        assertThat(fields(ScopeValidator.validate(scope(List.of(), List.of(), options(null, List.of("ok.example", text), null, null)))))
                .containsExactly("options.searchDomains[1]");
        assertThat(fields(ScopeValidator.validateReservation(scope(List.of(), List.of(), null), null, text)))
                .containsExactly("hostname");
    }

    @Test
    void messagesQuoteAtMost64CharactersOfAValue() {
        String huge = "a".repeat(1_000_000) + "\u00e9";
        List<Violation> v = ScopeValidator.validate(scope(List.of(), List.of(), options(huge, null, null, huge)));
        assertThat(fields(v)).containsExactlyInAnyOrder("options.domainName", "options.bootFile");
        for (Violation violation : v) {
            assertThat(violation.message().length()).isLessThan(200);
        }
        assertThat(ScopeValidator.validate(scope(List.of(), List.of(), options(null, null, null, "pxe\u0000.0"))).get(0)
                .message()).contains("'pxe\\u0000.0'").doesNotContain("\u0000");
    }

    @Test
    void moreThanTheCapOfPoolsOrExclusionsIsOneViolation() {
        List<AddressRange> pools = new ArrayList<>();
        for (int i = 0; i <= ScopeValidator.MAX_POOLS; i++) {
            pools.add(AddressRange.single(Ipv4Address.parse("10.20.0.2").plus(i)));
        }
        List<AddressRange> exclusions = Collections.nCopies(ScopeValidator.MAX_EXCLUSIONS + 1, AddressRange.of("10.20.9.9", "10.20.9.9"));
        List<Violation> v = ScopeValidator.validate(scope(pools, exclusions, null));
        assertThat(fields(v)).containsExactly("pools", "exclusions");
        assertThat(v.get(0).message()).contains("1024").contains("1025");

        assertThat(ScopeValidator.validate(scope(pools.subList(0, ScopeValidator.MAX_POOLS),
                exclusions.subList(0, ScopeValidator.MAX_EXCLUSIONS), null))).isEmpty();
    }

    @Test
    void identicalPoolsAreReportedOnceEachNotOncePerPair() {
        List<AddressRange> pools = Collections.nCopies(ScopeValidator.MAX_POOLS, AddressRange.of("10.20.0.10", "10.20.0.20"));
        List<Violation> v = ScopeValidator.validate(scope(pools, List.of(), null));
        assertThat(v).hasSize(ScopeValidator.MAX_POOLS - 1); // all pairs would be 523,776
        assertThat(v.get(0).field()).isEqualTo("pools[1]");
        assertThat(v.get(v.size() - 1).field()).isEqualTo("pools[1023]");
    }

    @Test
    void theSecondOfTwoOverlappingPoolsIsNamedWhateverTheirOrder() {
        AddressRange low = AddressRange.of("10.20.0.100", "10.20.0.199");
        AddressRange high = AddressRange.of("10.20.0.150", "10.20.0.220");
        assertThat(ScopeValidator.validate(scope(List.of(low, high), List.of(), null)))
                .containsExactly(new Violation("pools[1]", "10.20.0.150-10.20.0.220 overlaps pools[0] 10.20.0.100-10.20.0.199"));
        assertThat(ScopeValidator.validate(scope(List.of(high, low), List.of(), null)))
                .containsExactly(new Violation("pools[1]", "10.20.0.100-10.20.0.199 overlaps pools[0] 10.20.0.150-10.20.0.220"));
    }

    /** Every pool that overlaps another is named (as the field or the partner), and no other pool is. */
    @Test
    void theSweepNamesExactlyThePoolsThatOverlapSomeOther() {
        SplittableRandom random = new SplittableRandom(11);
        Pattern index = Pattern.compile("pools\\[(\\d+)]");
        for (int round = 0; round < 2000; round++) {
            List<AddressRange> pools = new ArrayList<>();
            int n = 1 + random.nextInt(10);
            for (int i = 0; i < n; i++) {
                int start = 2 + random.nextInt(200);
                int end = start + random.nextInt(random.nextBoolean() ? 3 : 60);
                pools.add(new AddressRange(Ipv4Address.parse("10.20.0.0").plus(start), Ipv4Address.parse("10.20.0.0").plus(end)));
            }
            Set<Integer> overlapping = new HashSet<>();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    if (pools.get(i).overlaps(pools.get(j))) {
                        overlapping.add(i);
                        overlapping.add(j);
                    }
                }
            }
            Set<Integer> named = new HashSet<>();
            for (Violation v : ScopeValidator.validate(scope(pools, List.of(), null))) {
                Matcher m = index.matcher(v.field() + " " + v.message());
                while (m.find()) {
                    named.add(Integer.parseInt(m.group(1)));
                }
            }
            assertThat(named).as("pools %s", pools).isEqualTo(overlapping);
        }
    }

    @Test
    void exclusionsMayOverlap() {
        AddressRange e = AddressRange.of("10.20.0.10", "10.20.0.20");
        assertThat(ScopeValidator.validate(scope(List.of(), List.of(e, e), null))).isEmpty();
    }
}
