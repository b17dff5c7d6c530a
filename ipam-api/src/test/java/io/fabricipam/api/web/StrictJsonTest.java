package io.fabricipam.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.api.problem.ApiException;
import io.fabricipam.api.problem.JsonProblems;
import io.fabricipam.api.problem.ProblemType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * The application's ObjectMapper, as Spring Boot builds it with our customizer, refuses every scalar
 * coercion Jackson does by default, and the problem names the field and what it must be.
 */
class StrictJsonTest {

    enum Mode { FAST, SAFE }

    record Body(int count, Integer vlan, long leaseTime, Long renewal, double ratio, Boolean local, boolean enabled,
            String name, Mode mode, List<String> tags) {
    }

    private final ObjectMapper json = strict();

    static ObjectMapper strict() {
        Jackson2ObjectMapperBuilder builder = Jackson2ObjectMapperBuilder.json();
        new ApiWebConfiguration().strictJson().customize(builder);
        return builder.build();
    }

    private static final String VALID = "{\"count\": 1, \"vlan\": 2, \"leaseTime\": 3600, \"renewal\": 1800, \"ratio\": 0.5,"
            + " \"local\": true, \"enabled\": false, \"name\": \"lab\", \"mode\": \"FAST\", \"tags\": [\"a\"]}";

    @Test
    void wellTypedJsonIsRead() throws Exception {
        Body b = json.readValue(VALID, Body.class);
        assertThat(b.count()).isEqualTo(1);
        assertThat(b.leaseTime()).isEqualTo(3600);
        assertThat(b.mode()).isEqualTo(Mode.FAST);
        // an integer where a fraction may be is a number, not a coercion; a missing or null wrapper is null
        assertThat(json.readValue(VALID.replace("0.5", "1"), Body.class).ratio()).isEqualTo(1.0);
        assertThat(json.readValue(VALID.replace("\"vlan\": 2", "\"vlan\": null"), Body.class).vlan()).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // strings to numbers
        "\"count\": 1          | \"count\": \"1\"          | count     | an integer",
        "\"vlan\": 2           | \"vlan\": \"2\"           | vlan      | an integer",
        "\"leaseTime\": 3600   | \"leaseTime\": \"3600\"   | leaseTime | an integer",
        "\"ratio\": 0.5        | \"ratio\": \"0.5\"        | ratio     | a number",
        "\"vlan\": 2           | \"vlan\": \"\"            | vlan      | an integer",
        // fractions to integers
        "\"leaseTime\": 3600   | \"leaseTime\": 3600.7     | leaseTime | an integer",
        "\"renewal\": 1800     | \"renewal\": 1800.0       | renewal   | an integer",
        "\"count\": 1          | \"count\": 1e3            | count     | an integer",
        // numbers and booleans to strings
        "\"name\": \"lab\"     | \"name\": 3260            | name      | a string",
        "\"name\": \"lab\"     | \"name\": 32.6            | name      | a string",
        "\"name\": \"lab\"     | \"name\": true            | name      | a string",
        "\"tags\": [\"a\"]     | \"tags\": [1]             | tags[0]   | a string",
        // numbers and strings to booleans
        "\"local\": true       | \"local\": 1              | local     | true or false",
        "\"local\": true       | \"local\": \"true\"       | local     | true or false",
        "\"enabled\": false    | \"enabled\": 0            | enabled   | true or false",
        // null to primitives
        "\"count\": 1          | \"count\": null           | count     | an integer",
        "\"enabled\": false    | \"enabled\": null         | enabled   | true or false",
        // numbers to enums, a single value to a list
        "\"mode\": \"FAST\"    | \"mode\": 0               | mode      | one of [fast, safe]",
        "\"tags\": [\"a\"]     | \"tags\": \"a\"           | tags      | an array",
        // out of range
        "\"vlan\": 2           | \"vlan\": 99999999999     | vlan      | out of range"})
    void eachCoercionIsA422NamingTheField(String valid, String hostile, String field, String expected) {
        String body = VALID.replace(valid.trim(), hostile.trim());
        assertThat(body).isNotEqualTo(VALID);
        assertThatThrownBy(() -> json.readValue(body, Body.class)).satisfies(e -> {
            ApiException problem = JsonProblems.of(e);
            assertThat(problem.type()).isEqualTo(ProblemType.VALIDATION_FAILED);
            assertThat(problem.errors()).singleElement().satisfies(f -> {
                assertThat(f.field()).isEqualTo(field);
                assertThat(f.detail()).contains(expected);
            });
            assertThat(problem.getMessage()).doesNotContain("java.").doesNotContain("`");
        });
    }

    @Test
    void unknownFieldsAndTrailingTokensAreRefused() {
        assertThatThrownBy(() -> json.readValue(VALID.replace("\"vlan\"", "\"vlna\""), Body.class))
                .satisfies(e -> assertThat(JsonProblems.of(e).errors().get(0).field()).isEqualTo("vlna"));
        // a primitive left out is null too: refused rather than read as 0
        assertThatThrownBy(() -> json.readValue(VALID.replace("\"count\": 1,", ""), Body.class))
                .satisfies(e -> assertThat(JsonProblems.of(e).errors().get(0).field()).isEqualTo("count"));
        assertThatThrownBy(() -> json.readValue(VALID + " {}", Body.class))
                .satisfies(e -> assertThat(JsonProblems.of(e).type()).isEqualTo(ProblemType.MALFORMED_REQUEST));
    }
}
