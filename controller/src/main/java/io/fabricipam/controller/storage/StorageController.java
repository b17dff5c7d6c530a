package io.fabricipam.controller.storage;

import io.fabricipam.api.audit.AuditContext;
import io.fabricipam.api.problem.ApiException;
import io.fabricipam.api.problem.FieldError;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.api.web.Page;
import io.fabricipam.fabric.storage.DuplicateTargetException;
import io.fabricipam.fabric.storage.StorageFabric;
import io.fabricipam.fabric.storage.TargetLimitException;
import io.fabricipam.fabric.storage.TargetView;
import io.fabricipam.fabric.storage.disk.Allocation;
import io.fabricipam.fabric.storage.disk.CacheMode;
import io.fabricipam.fabric.storage.disk.DiskBus;
import io.fabricipam.fabric.storage.disk.DiskDescription;
import io.fabricipam.fabric.storage.disk.DiskFinding;
import io.fabricipam.fabric.storage.disk.DiskFormat;
import io.fabricipam.fabric.storage.disk.DiskSourceType;
import io.fabricipam.fabric.storage.disk.DiskXml;
import io.fabricipam.fabric.storage.disk.IoMode;
import io.fabricipam.fabric.storage.redirect.SessionRecord;
import io.fabricipam.fabric.storage.target.Portal;
import io.fabricipam.fabric.storage.target.TargetRules;
import io.fabricipam.fabric.storage.target.TargetSpec;
import io.fabricipam.fabric.storage.target.Violation;
import io.fabricipam.fabric.storage.text.SafeText;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * {@code /api/v1/storage}: storage targets behind the iSCSI redirector with their health and ALUA-like
 * path state, the redirect decisions made for initiators, and the libvirt XML for a VM disk.
 *
 * <p>Bodies are read by {@link JsonBody}, strictly and on this controller's own terms (no coercion of
 * {@code 3260} into {@code "3260"}, no Java types in errors), and every rule is checked before anything
 * is registered: a refused target is never probed, listed or logged.
 */
@RestController
@RequestMapping(path = "/api/v1/storage", produces = "application/json")
class StorageController {

    /** A target as registered through the API (documentation of the body; {@link JsonBody} reads it). */
    record TargetRequest(
            @Schema(description = "1-63 letters, digits, '.', '_' or '-', starting with a letter or digit",
                    example = "local") String name,
            @Schema(description = "host:port (IPv6 as [v6]:port), port 1-65535", example = "127.0.0.1:3260") String portal,
            @Schema(description = "on this host: preferred while healthy") Boolean local,
            @Schema(description = "IQNs it exports (iqn./eui./naa., at most 223 bytes each, at most "
                    + TargetRules.MAX_IQNS + "); left out: discovered with SendTargets") List<String> iqns,
            @Schema(description = "tgtd's control port (tgtadm -C N), 0-65535; enables failback drops", example = "53")
            Integer admin) {
    }

    /** The libvirt XML for a disk and what the policy decided. */
    record DiskResponse(String disk, String controller, Object attachment, List<DiskFinding> findings, boolean valid) {
    }

    private static final Set<String> TARGET_FIELDS = Set.of("name", "portal", "local", "iqns", "admin");
    private static final Set<String> DISK_FIELDS = Set.of("sourceType", "source", "portal", "format", "allocation",
            "bus", "vcpus", "unit", "io", "cache", "queues");
    /** Larger than any host: a typo, not a VM. */
    static final int MAX_VCPUS = 4096;
    /** Queues and units are checked against the bus by the policy; this only keeps them numbers. */
    private static final int MAX_SMALL_NUMBER = 65535;

    private final StorageLifecycle storage;

    StorageController(StorageLifecycle storage) {
        this.storage = storage;
    }

    @Operation(summary = "Register a storage target",
            description = "422 naming every invalid field (nothing is registered then); 409 if the name is taken;"
                    + " 422 when " + StorageFabric.MAX_TARGETS + " targets are registered already.")
    @PostMapping(path = "/targets", consumes = "application/json")
    ResponseEntity<TargetView> register(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            schema = @Schema(implementation = TargetRequest.class),
            examples = @ExampleObject(value = "{\"name\": \"local\", \"portal\": \"127.0.0.1:3260\", \"local\": true}")))
            @RequestBody(required = false) byte[] body) {
        StorageFabric fabric = fabric();
        TargetSpec spec = targetSpec(JsonBody.parse(body, TARGET_FIELDS));
        TargetView view;
        try {
            view = fabric.registerTarget(spec);
        } catch (DuplicateTargetException e) {
            throw new ApiException(ProblemType.DUPLICATE_NAME, e.getMessage(), List.of(FieldError.of("name", "is taken")));
        } catch (TargetLimitException e) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, e.getMessage(), null);
        }
        AuditContext.describe("registered storage target " + view.name() + " at " + view.portal()
                + (view.local() ? " (local)" : ""));
        return ResponseEntity.created(URI.create("/api/v1/storage/targets/" + UriUtils.encodePathSegment(view.name(),
                "UTF-8"))).body(view);
    }

    /** The target {@code json} describes, or a 422 naming every field that breaks a rule. */
    private static TargetSpec targetSpec(JsonBody json) {
        String name = json.string("name");
        String portalText = json.string("portal");
        Boolean local = json.flag("local");
        List<String> iqns = json.strings("iqns", TargetRules.MAX_IQNS);
        Integer admin = json.integerOrDigits("admin", 0, TargetRules.MAX_ADMIN);
        Portal portal = null;
        if (portalText == null) {
            if (!json.failed("portal")) {
                json.fail("portal", "is required (host:port)");
            }
        } else {
            try {
                portal = Portal.parseHostPort(portalText);
            } catch (IllegalArgumentException e) {
                json.fail("portal", e.getMessage());
            }
        }
        String adminText = admin == null ? null : admin.toString();
        for (Violation v : TargetRules.check(name, portal, iqns, adminText)) {
            String whole = v.field().contains("[") ? v.field().substring(0, v.field().indexOf('[')) : v.field();
            if (!json.failed(v.field()) && !json.failed(whole)) { // a wrong JSON type already said what is wrong
                json.fail(v.field(), v.detail());
            }
        }
        json.check("target description");
        return new TargetSpec(name, portal, Boolean.TRUE.equals(local), iqns, adminText);
    }

    @Operation(summary = "Targets with health, NOP latency and path state, a page at a time",
            description = "pathState: active_optimized (local, healthy), active_non_optimized (remote, healthy), degraded"
                    + " states as a last resort, unavailable never chosen; 'explanation' says why. Registration order;"
                    + " {items, page, size, total} like the scopes list.")
    @GetMapping("/targets")
    Page<TargetView> targets(@RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "" + Page.DEFAULT_SIZE) int size) {
        return Page.of(fabric().targets(), page, size);
    }

    @GetMapping("/targets/{name}")
    TargetView target(@PathVariable String name) {
        return fabric().target(name).orElseThrow(() -> ApiException.notFound("no storage target " + SafeText.quote(name)));
    }

    @DeleteMapping("/targets/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(@PathVariable String name) {
        if (!fabric().removeTarget(name)) {
            throw ApiException.notFound("no storage target " + SafeText.quote(name));
        }
        AuditContext.describe("removed storage target " + name);
    }

    @Operation(summary = "Which initiator was sent where, when and why (oldest first)")
    @GetMapping("/sessions")
    List<SessionRecord> sessions() {
        return fabric().sessions();
    }

    @Operation(summary = "libvirt <disk> and <controller> XML for a VM disk",
            description = "virtio-scsi by default; io='native' with cache='none' for raw, preallocated and block"
                    + " sources; io='threads' for sparse images; queues per vCPU. A broken rule is a 422 problem whose"
                    + " errors name the fields (a source path with control characters included).")
    @PostMapping(path = "/disks/xml", consumes = "application/json")
    ResponseEntity<DiskResponse> diskXml(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            schema = @Schema(implementation = DiskRequest.class),
            examples = @ExampleObject(value = "{\"sourceType\": \"file\", \"source\": \"/var/lib/vms/vm1.qcow2\","
                    + " \"format\": \"qcow2\", \"allocation\": \"sparse\", \"vcpus\": 4}")))
            @RequestBody(required = false) byte[] body) {
        DiskXml xml = fabric().renderDisk(describe(JsonBody.parse(body, DISK_FIELDS)));
        if (!xml.valid()) {
            List<FieldError> errors = xml.findings().stream().filter(f -> f.severity() == DiskFinding.Severity.ERROR)
                    .map(f -> FieldError.of(f.field(), f.message())).toList();
            throw new ApiException(ProblemType.VALIDATION_FAILED, "the disk description breaks " + errors.size()
                    + (errors.size() == 1 ? " rule" : " rules") + " of the disk policy", errors);
        }
        return ResponseEntity.ok(new DiskResponse(xml.disk(), xml.controller(), xml.attachment(), xml.findings(), true));
    }

    private static DiskDescription describe(JsonBody json) {
        DiskSourceType type = choice(json, "sourceType", DiskSourceType.class);
        String source = json.string("source");
        String portal = json.string("portal");
        DiskFormat format = choice(json, "format", DiskFormat.class);
        Allocation allocation = choice(json, "allocation", Allocation.class);
        DiskBus bus = choice(json, "bus", DiskBus.class);
        IoMode io = choice(json, "io", IoMode.class);
        CacheMode cache = choice(json, "cache", CacheMode.class);
        Integer vcpus = json.integer("vcpus", 1, MAX_VCPUS);
        Integer unit = json.integer("unit", 0, MAX_SMALL_NUMBER);
        Integer queues = json.integer("queues", 1, MAX_SMALL_NUMBER);
        if (type == null && !json.failed("sourceType")) {
            json.fail("sourceType", "is required: one of " + names(DiskSourceType.class));
        }
        if ((source == null || source.isBlank()) && !json.failed("source")) {
            json.fail("source", "is required (a path, a device, or an iSCSI target name and LUN)");
        }
        json.check("disk description");
        return new DiskDescription(type, source, portal, format, allocation, bus, vcpus == null ? 1 : vcpus,
                unit == null ? 0 : unit, io, cache, queues);
    }

    /** An enumeration value, case-insensitive, '-' or '_'; null when absent or wrong (then recorded). */
    private static <E extends Enum<E>> E choice(JsonBody json, String field, Class<E> type) {
        String value = json.string(field);
        if (value == null || value.isBlank()) {
            return null;
        }
        String wanted = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        json.fail(field, SafeText.quote(value) + " is not one of " + names(type));
        return null;
    }

    private static <E extends Enum<E>> List<String> names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    }

    private StorageFabric fabric() {
        StorageFabric fabric = storage.fabric();
        if (fabric == null) {
            throw new ApiException(ProblemType.SERVICE_UNAVAILABLE, "the storage redirector is off (fabric.storage.enabled)", null);
        }
        return fabric;
    }
}
