package io.fabricipam.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricipam.testing.Tools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The storage path through the packaged service: a real tgtd registered with the README's request, its
 * health over REST, libiscsi logging in through the redirector to it, the decision in the session log,
 * and the disk XML endpoint with its 422 for a rule broken.
 */
class StorageApiIT {

    static final int TGT_CONTROL = 53;      // tgtadm -C 53: a control port no other test uses
    static final int TGT_PORT = 13390;
    static final String IQN = "iqn.2026-11.io.fabricipam:storage-api-it";
    static final String TOKEN = "fip_storage-api-it-" + UUID.randomUUID();

    final List<Process> started = new ArrayList<>();
    Path dir;
    FabricProcess fabric;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void clean() throws Exception {
        if (fabric != null) {
            fabric.close();
        }
        runQuietly("tgtadm", "-C", "" + TGT_CONTROL, "--lld", "iscsi", "--op", "delete", "--mode", "target", "--tid", "1", "--force");
        runQuietly("tgtadm", "-C", "" + TGT_CONTROL, "--op", "delete", "--mode", "system");
        for (Process p : started) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (var files = Files.list(Path.of("/var/run/tgtd"))) {
            files.filter(f -> f.getFileName().toString().startsWith("socket." + TGT_CONTROL)).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // no tgtd run directory
        }
    }

    static void runQuietly(String... command) throws Exception {
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor(20, TimeUnit.SECONDS);
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fabric.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTargetRegisteredOverRestServesLoginsThroughTheRedirector() throws Exception {
        Tools.require("tgtd", "tgtadm", "iscsi-inq", "truncate");
        dir = Files.createDirectories(Path.of("target", "it-labs", "storage-" + UUID.randomUUID()).toAbsolutePath());
        Path lun = dir.resolve("lun.img");
        NetworkLab.run("truncate", "-s", "64M", lun.toString());
        started.add(new ProcessBuilder("tgtd", "-f", "-C", "" + TGT_CONTROL, "--iscsi", "portal=127.0.0.1:" + TGT_PORT)
                .redirectErrorStream(true).redirectOutput(dir.resolve("tgtd.log").toFile()).start());
        for (int i = 0; i < 50 && !Files.exists(Path.of("/var/run/tgtd/socket." + TGT_CONTROL)); i++) {
            Thread.sleep(100);
        }
        NetworkLab.run("tgtadm", "-C", "" + TGT_CONTROL, "--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", "1",
                "-T", IQN);
        NetworkLab.run("tgtadm", "-C", "" + TGT_CONTROL, "--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", "1",
                "--lun", "1", "-b", lun.toString());
        NetworkLab.run("tgtadm", "-C", "" + TGT_CONTROL, "--lld", "iscsi", "--op", "bind", "--mode", "target", "--tid", "1",
                "-I", "ALL");

        int redirector = FabricProcess.freePort();
        fabric = new FabricProcess(dir.resolve("data"), dir.resolve("fabric.log"), List.of(
                "--fabric.api.admin-token=" + TOKEN,
                "--fabric.storage.redirector.listen=127.0.0.1:" + redirector)).start();

        HttpResponse<String> created = call("POST", "/api/v1/storage/targets",
                "{\"name\": \"local\", \"portal\": \"127.0.0.1:" + TGT_PORT + "\", \"local\": true, \"admin\": " + TGT_CONTROL + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(call("POST", "/api/v1/storage/targets", "{\"name\": \"local\", \"portal\": \"127.0.0.1:1\"}").statusCode())
                .isEqualTo(409);

        JsonNode target = null;
        for (int i = 0; i < 100; i++) {
            target = json.readTree(call("GET", "/api/v1/storage/targets/local", null).body());
            if ("HEALTHY".equals(target.get("health").asText())) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(target.get("health").asText()).isEqualTo("HEALTHY");
        assertThat(target.get("pathState").asText()).isEqualTo("ACTIVE_OPTIMIZED");
        assertThat(target.get("nopSamples").asLong()).isPositive();

        Process inq = new ProcessBuilder("iscsi-inq", "iscsi://127.0.0.1:" + redirector + "/" + IQN + "/1")
                .redirectErrorStream(true).start();
        String out = new String(inq.getInputStream().readAllBytes());
        assertThat(inq.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(inq.exitValue()).as(out).isZero();

        JsonNode sessions = json.readTree(call("GET", "/api/v1/storage/sessions", null).body());
        assertThat(sessions).anySatisfy(s -> {
            assertThat(s.get("outcome").asText()).isEqualTo("REDIRECTED");
            assertThat(s.get("chosenTarget").asText()).isEqualTo("local");
            assertThat(s.get("targetAddress").asText()).isEqualTo("127.0.0.1:" + TGT_PORT);
        });

        HttpResponse<String> raw = call("POST", "/api/v1/storage/disks/xml",
                "{\"sourceType\": \"file\", \"source\": \"/var/lib/vms/a.img\", \"format\": \"raw\","
                        + " \"allocation\": \"preallocated\", \"vcpus\": 4}");
        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(200);
        JsonNode xml = json.readTree(raw.body());
        assertThat(xml.get("disk").asText()).contains("io=\"native\"").contains("cache=\"none\"");
        assertThat(xml.get("controller").asText()).contains("virtio-scsi").contains("queues=\"4\"");
        // native AIO on a sparse image: allowed if asked for, with a warning naming the field
        HttpResponse<String> risky = call("POST", "/api/v1/storage/disks/xml",
                "{\"sourceType\": \"file\", \"source\": \"/var/lib/vms/b.qcow2\", \"format\": \"qcow2\", \"allocation\": \"sparse\","
                        + " \"io\": \"native\", \"vcpus\": 2}");
        assertThat(risky.statusCode()).as(risky.body()).isEqualTo(200);
        assertThat(json.readTree(risky.body()).get("findings")).anySatisfy(f -> {
            assertThat(f.get("severity").asText()).isEqualTo("WARNING");
            assertThat(f.get("field").asText()).isEqualTo("io");
        });
        // queues on a bus that has none: refused, as a problem naming the field
        HttpResponse<String> broken = call("POST", "/api/v1/storage/disks/xml",
                "{\"sourceType\": \"block\", \"source\": \"/dev/sdb\", \"bus\": \"sata\", \"queues\": 4, \"vcpus\": 4}");
        assertThat(broken.statusCode()).as(broken.body()).isEqualTo(422);
        assertThat(broken.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json.readTree(broken.body()).get("errors")).anySatisfy(f -> assertThat(f.get("field").asText()).isEqualTo("queues"));
        HttpResponse<String> typo = call("POST", "/api/v1/storage/disks/xml", "{\"sourceType\": \"floppy\", \"source\": \"x\"}");
        assertThat(typo.statusCode()).isEqualTo(422);
        assertThat(typo.body()).contains("sourceType");

        JsonNode list = json.readTree(call("GET", "/api/v1/storage/targets?page=0&size=10", null).body());
        assertThat(list.get("total").asInt()).isEqualTo(1);
        assertThat(list.get("items").get(0).get("admin").asInt()).isEqualTo(TGT_CONTROL);

        assertThat(call("DELETE", "/api/v1/storage/targets/local", null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/storage/targets/local", null).statusCode()).isEqualTo(404);
    }

    /** What the hostile tester sent to the jar: every request a 422 problem naming the field, nothing registered. */
    @Test
    void hostileStorageRequestsAre422ProblemsAndRegisterNothing() throws Exception {
        dir = Files.createDirectories(Path.of("target", "it-labs", "st-storage-" + UUID.randomUUID()).toAbsolutePath());
        fabric = new FabricProcess(dir.resolve("data"), dir.resolve("fabric.log"), List.of(
                "--fabric.api.admin-token=" + TOKEN,
                "--fabric.storage.redirector.listen=127.0.0.1:" + FabricProcess.freePort())).start();
        String huge = "a".repeat(100_000); // (under any request size limit: the name rule must answer, not the limit)
        String[][] cases = {
                {"{\"name\": \"a/b\", \"portal\": \"127.0.0.1:1\"}", "name"},
                {"{\"name\": \"..\", \"portal\": \"127.0.0.1:1\"}", "name"},
                {"{\"name\": \"x\\u0000\", \"portal\": \"127.0.0.1:1\"}", "name"},
                {"{\"name\": \"x\\n2026-01-01 INFO audit forged\", \"portal\": \"127.0.0.1:1\"}", "name"},
                {"{\"name\": \"" + huge + "\", \"portal\": \"127.0.0.1:1\"}", "name"},
                {"{\"name\": \"t\", \"portal\": 3260}", "portal"},
                {"{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"admin\": \"abc\"}", "admin"},
                {"{\"name\": \"t\", \"portal\": \"127.0.0.1:1\", \"iqns\": [\"not an iqn\"]}", "iqns[0]"},
                {"{\"name\": {}, \"portal\": \"127.0.0.1:1\"}", "name"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = call("POST", "/api/v1/storage/targets", c[0]);
            assertThat(r.statusCode()).as(c[1] + ": " + r.body()).isEqualTo(422);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(r.body()).hasSizeLessThan(4096).doesNotContain("java.").doesNotContain("io.fabricipam.");
            assertThat(json.readTree(r.body()).get("errors")).anySatisfy(e -> assertThat(e.get("field").asText()).isEqualTo(c[1]));
        }
        HttpResponse<String> xml = call("POST", "/api/v1/storage/disks/xml",
                "{\"sourceType\": \"file\", \"source\": \"/var/lib/vms/a\\u0001\\u0000.img\"}");
        assertThat(xml.statusCode()).as(xml.body()).isEqualTo(422);
        assertThat(xml.body()).doesNotContain("&#");
        assertThat(json.readTree(call("GET", "/api/v1/storage/targets", null).body()).get("total").asInt()).isZero();
        assertThat(Files.readString(dir.resolve("fabric.log"))).doesNotContain("\n2026-01-01 INFO audit forged");
    }
}
