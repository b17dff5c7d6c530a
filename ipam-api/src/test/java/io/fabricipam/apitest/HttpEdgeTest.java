package io.fabricipam.apitest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.api.web.ApiWebConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The HTTP edge on a real Tomcat, spoken to over raw sockets as a hostile client would: what Tomcat refuses
 * before the application sees it (encoded '/' or NUL in the path, headers too large, a malformed request
 * line) and bodies over the size limit all answer RFC 9457 problem+json, with our types.
 */
@SpringBootTest(classes = {SecurityTestApplication.class, ApiWebConfiguration.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:edge-${random.uuid}" + MigratedDatabase.H2_FLAGS,
        "fabric.data-dir=${java.io.tmpdir}/fabric-ipam-test-${random.uuid}",
        "fabric.api.admin-token=" + ApiSecurityTest.ADMIN_TOKEN,
        "management.endpoint.health.show-details=when-authorized",
        "management.endpoint.health.roles=READER,ADMIN",
        "server.max-http-request-header-size=8KB",
        "fabric.api.max-request-size=1MB",
        "spring.main.banner-mode=off"})
class HttpEdgeTest {

    private static final String AUTH = "Authorization: Bearer " + ApiSecurityTest.ADMIN_TOKEN + "\r\n";
    private static final int MIB = 1 << 20;

    @LocalServerPort
    int port;

    private final ObjectMapper json = new ObjectMapper();

    record Answer(int status, String headers, String body) {
        String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** Sends {@code request} as it is and reads the answer until the server closes or 10 s pass. */
    Answer raw(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException closedEarly) {
                // the server may answer and close before it has read everything we send
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    got.write(buffer, 0, n);
                    if (complete(got.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException endOfAnswer) {
                // what arrived is the answer
            }
            String text = got.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as("an HTTP answer: %s", text).isPositive();
            int status = Integer.parseInt(text.substring(9, 12));
            String headers = text.substring(0, end);
            String body = text.substring(end + 4);
            if (headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            return new Answer(status, headers, body);
        }
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String headers = text.substring(0, end).toLowerCase(Locale.ROOT);
        int at = headers.indexOf("content-length:");
        if (at >= 0) {
            int lineEnd = headers.indexOf("\r\n", at);
            int length = Integer.parseInt(headers.substring(at + 15, lineEnd < 0 ? headers.length() : lineEnd).trim());
            return text.length() - end - 4 >= length;
        }
        return text.endsWith("0\r\n\r\n");
    }

    private static String unchunk(String body) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            int lineEnd = body.indexOf("\r\n", i);
            int size = Integer.parseInt(body.substring(i, lineEnd).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, lineEnd + 2, lineEnd + 2 + size);
            i = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }

    Answer get(String target, String extraHeaders) throws IOException {
        return raw(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + AUTH + extraHeaders + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A problem+json answer of {@code type}, with no HTML and no Java class in it. */
    JsonNode expectProblem(Answer answer, ProblemType type) throws IOException {
        assertThat(answer.status()).as(answer.body()).isEqualTo(type.status().value());
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = json.readTree(answer.body());
        assertThat(problem.get("type").asText()).isEqualTo(type.uri().toString());
        assertThat(problem.get("status").asInt()).isEqualTo(type.status().value());
        assertThat(problem.get("title").asText()).isEqualTo(type.title());
        assertThat(problem.get("detail").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("java.")
                .doesNotContain("org.apache");
        return problem;
    }

    @Test
    void anEncodedSlashOrNulInThePathIsAProblem() throws IOException {
        JsonNode slash = expectProblem(get("/api/v1/probes/a%2Fb", ""), ProblemType.MALFORMED_REQUEST);
        assertThat(slash.get("instance").asText()).isEqualTo("/api/v1/probes/a%2Fb");
        expectProblem(get("/api/v1/probes/a%00b", ""), ProblemType.MALFORMED_REQUEST);
        expectProblem(get("/api/v1/probes/a%2fb", ""), ProblemType.MALFORMED_REQUEST);
    }

    @Test
    void aLongRequestTargetIsNotEchoedBack() throws IOException {
        String name = "n".repeat(5_000);
        Answer answer = get("/api/v1/scopes/" + name + "?q=" + "q".repeat(1_000), "");
        assertThat(answer.status()).isBetween(400, 499);
        assertThat(answer.body()).doesNotContain("n".repeat(2_100)).doesNotContain("q".repeat(100));
        Answer query = get("/api/v1/scopes/x?q=" + "q".repeat(3_000), "");
        assertThat(query.body()).contains("\"instance\":\"/api/v1/scopes/x\"").doesNotContain("q".repeat(100));
    }

    @Test
    void aRawNulOrControlCharacterInTheRequestLineIsAProblem() throws IOException {
        expectProblem(get("/api/v1/probes/a\u0000b", ""), ProblemType.MALFORMED_REQUEST);
        expectProblem(get("/api/v1/probes/a\u0001b", ""), ProblemType.MALFORMED_REQUEST);
    }

    /** Before: TRACE got a 400 with an empty body (the firewall refused the error dispatch too). */
    @Test
    void whatTheSecurityFirewallRefusesIsAProblem() throws IOException {
        Answer trace = raw(("TRACE /api/v1/probes/p1 HTTP/1.1\r\nHost: x\r\n" + AUTH + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        expectProblem(trace, ProblemType.METHOD_NOT_ALLOWED);
        assertThat(trace.header("Allow")).contains("GET");
        expectProblem(get("/api/v1/probes/p1;x=1", ""), ProblemType.MALFORMED_REQUEST);
        expectProblem(get("//api/v1/probes/p1", ""), ProblemType.MALFORMED_REQUEST);
        expectProblem(get("/api/v1/probes/%25p1", ""), ProblemType.MALFORMED_REQUEST);
    }

    @Test
    void headersLargerThanTheLimitAreAProblem() throws IOException {
        JsonNode problem = expectProblem(get("/api/v1/probes/p1", "X-Padding: " + "a".repeat(20_000) + "\r\n"),
                ProblemType.MALFORMED_REQUEST);
        assertThat(problem.get("detail").asText()).contains("larger than the server accepts");
        // one header just under the limit still passes
        assertThat(get("/api/v1/probes/p1", "X-Padding: " + "a".repeat(6_000) + "\r\n").status()).isEqualTo(200);
    }

    @Test
    void aMalformedRequestLineIsAProblem() throws IOException {
        for (String line : new String[] {"GET /api v1 HTTP/1.1", "GET /api/v1/probes/p1 HTTP/9.x", "G\u00e9T / HTTP/1.1"}) {
            expectProblem(raw((line + "\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)), ProblemType.MALFORMED_REQUEST);
        }
    }

    @Test
    void aBodyOverTheLimitIs413WhetherItsLengthIsDeclaredOrNot() throws IOException {
        String big = "{\"text\": \"" + "a".repeat(2 * MIB) + "\"}";
        Answer declared = raw(("POST /api/v1/probes/p1/notes HTTP/1.1\r\nHost: x\r\n" + AUTH
                + "Content-Type: application/json\r\nContent-Length: " + big.length() + "\r\n\r\n" + big)
                .getBytes(StandardCharsets.ISO_8859_1));
        JsonNode problem = expectProblem(declared, ProblemType.CONTENT_TOO_LARGE);
        assertThat(problem.get("detail").asText()).contains(String.valueOf(MIB));
        assertThat(problem.get("instance").asText()).isEqualTo("/api/v1/probes/p1/notes");

        StringBuilder chunked = new StringBuilder("POST /api/v1/probes/p1/notes HTTP/1.1\r\nHost: x\r\n" + AUTH
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < big.length(); i += 65_536) {
            String part = big.substring(i, Math.min(big.length(), i + 65_536));
            chunked.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        expectProblem(raw(chunked.toString().getBytes(StandardCharsets.ISO_8859_1)), ProblemType.CONTENT_TOO_LARGE);

        String fits = "{\"text\": \"" + "a".repeat(MIB - 100) + "\"}";
        Answer accepted = raw(("POST /api/v1/probes/p1/notes HTTP/1.1\r\nHost: x\r\n" + AUTH
                + "Content-Type: application/json\r\nContent-Length: " + fits.length() + "\r\nConnection: close\r\n\r\n" + fits)
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        assertThat(json.readTree(accepted.body()).get("length").asInt()).isEqualTo(MIB - 100);
    }

    @Test
    void aNumberWhereTextBelongsIs422EvenOnTheWire() throws IOException {
        String body = "{\"text\": 3260}";
        Answer answer = raw(("POST /api/v1/probes/p1/notes HTTP/1.1\r\nHost: x\r\n" + AUTH
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1));
        JsonNode problem = expectProblem(answer, ProblemType.VALIDATION_FAILED);
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("text");
    }

    @Test
    void healthWithoutATokenIsTheStatusAlone() throws IOException {
        Answer open = raw("GET /actuator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(open.status()).isEqualTo(200);
        assertThat(json.readTree(open.body()).properties()).extracting(java.util.Map.Entry::getKey).containsExactly("status");
        JsonNode full = json.readTree(get("/actuator/health", "").body());
        assertThat(full.get("components").get("db").get("details").get("database").asText()).isEqualTo("H2");
    }
}
