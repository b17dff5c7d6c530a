package io.fabricipam.apitest;

import io.fabricipam.api.audit.AuditContext;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** An API resource for the security tests: reads and writes under /api/v1, writes describing themselves. */
@RestController
@RequestMapping("/api/v1/probes")
public class ProbeController {

    @GetMapping("/{name}")
    Map<String, String> get(@PathVariable String name) {
        return Map.of("name", name);
    }

    /** A read that takes at least {@code millis}: for the audit's duration. */
    @GetMapping("/{name}/slow")
    Map<String, String> slow(@PathVariable String name, @RequestParam long millis) throws InterruptedException {
        Thread.sleep(millis);
        return Map.of("name", name);
    }

    @PostMapping("/{name}")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, String> create(@PathVariable String name) {
        AuditContext.describe("created probe " + name);
        return Map.of("name", name);
    }

    /** A body to read: what the size limit and strict JSON apply to. */
    public record Note(String text, Integer count) {
    }

    @PostMapping("/{name}/notes")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> note(@PathVariable String name, @RequestBody Note note) {
        return Map.of("name", name, "length", note.text() == null ? 0 : note.text().length());
    }

    @PutMapping("/{name}")
    Map<String, String> replace(@PathVariable String name) {
        return Map.of("name", name);
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String name) {
        AuditContext.describe("deleted probe " + name);
        AuditContext.describe("and its history");
    }
}
