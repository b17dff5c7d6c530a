package io.fabricipam.controller.storage;

import io.fabricipam.api.audit.AuditContext;
import io.fabricipam.api.problem.ApiException;
import io.fabricipam.api.problem.FieldError;
import io.fabricipam.api.problem.ProblemType;
import io.fabricipam.fabric.storage.DuplicateTargetException;
import io.fabricipam.fabric.storage.StorageFabric;
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
import io.fabricipam.fabric.storage.target.TargetSpec;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/storage}: storage targets behind the iSCSI redirector with their health and ALUA-like
 * path state, the redirect decisions made for initiators, and the libvirt XML for a VM disk.
 */
@RestController
@RequestMapping(path = "/api/v1/storage", produces = "application/json")
class StorageController {

    /** A target as registered through the API. */
    record TargetRequest(String name, String portal, Boolean local, List<String> iqns, String admin) {
    }

    /** The libvirt XML for a disk and what the policy decided; {@code valid} is false when findings hold an error. */
    record DiskResponse(String disk, String controller, Object attachment, List<DiskFinding> findings, boolean valid) {
    }

    private final StorageLifecycle storage;

    StorageController(StorageLifecycle storage) {
        this.storage = storage;
    }

    @Operation(summary = "Register a storage target")
    @PostMapping(path = "/targets", consumes = "application/json")
    ResponseEntity<TargetView> register(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            examples = @ExampleObject(value = "{\"name\": \"local\", \"portal\": \"127.0.0.1:3260\", \"local\": true}")))
            @RequestBody TargetRequest body) {
        StorageFabric fabric = fabric();
        if (body.name() == null || body.name().isBlank()) {
            throw ApiException.invalid("name", "is required");
        }
        if (body.portal() == null || body.portal().isBlank()) {
            throw ApiException.invalid("portal", "is required (host:port)");
        }
        Portal portal;
        try {
            portal = Portal.parse(body.portal().trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("portal", e.getMessage());
        }
        TargetView view;
        try {
            view = fabric.registerTarget(new TargetSpec(body.name().trim(), portal, Boolean.TRUE.equals(body.local()),
                    body.iqns() == null ? List.of() : body.iqns(), body.admin()));
        } catch (DuplicateTargetException e) {
            throw new ApiException(ProblemType.DUPLICATE_NAME, e.getMessage(), List.of(FieldError.of("name", e.getMessage())));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, e.getMessage(), null);
        }
        AuditContext.describe("registered storage target " + view.name() + " at " + view.portal()
                + (view.local() ? " (local)" : ""));
        return ResponseEntity.created(URI.create("/api/v1/storage/targets/" + view.name())).body(view);
    }

    @Operation(summary = "Targets with health, NOP latency and path state",
            description = "pathState: active_optimized (local, healthy), active_non_optimized (remote, healthy), degraded"
                    + " states as a last resort, unavailable never chosen; 'explanation' says why.")
    @GetMapping("/targets")
    List<TargetView> targets() {
        return fabric().targets();
    }

    @GetMapping("/targets/{name}")
    TargetView target(@PathVariable String name) {
        return fabric().target(name).orElseThrow(() -> ApiException.notFound("no storage target '" + name + "'"));
    }

    @DeleteMapping("/targets/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(@PathVariable String name) {
        if (!fabric().removeTarget(name)) {
            throw ApiException.notFound("no storage target '" + name + "'");
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
                    + " sources; io='threads' for sparse images; queues per vCPU. 422 when the description breaks a"
                    + " rule (the findings say which).")
    @PostMapping(path = "/disks/xml", consumes = "application/json")
    ResponseEntity<DiskResponse> diskXml(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            examples = @ExampleObject(value = "{\"sourceType\": \"file\", \"source\": \"/var/lib/vms/vm1.qcow2\","
                    + " \"format\": \"qcow2\", \"allocation\": \"sparse\", \"vcpus\": 4}"))) @RequestBody DiskRequest body) {
        DiskXml xml = fabric().renderDisk(describe(body));
        DiskResponse response = new DiskResponse(xml.disk(), xml.controller(), xml.attachment(), xml.findings(), xml.valid());
        return ResponseEntity.status(xml.valid() ? HttpStatus.OK : HttpStatus.UNPROCESSABLE_ENTITY).body(response);
    }

    private static DiskDescription describe(DiskRequest r) {
        List<FieldError> errors = new ArrayList<>();
        DiskSourceType type = choice("sourceType", r.sourceType(), DiskSourceType.class, true, errors);
        DiskFormat format = choice("format", r.format(), DiskFormat.class, false, errors);
        Allocation allocation = choice("allocation", r.allocation(), Allocation.class, false, errors);
        DiskBus bus = choice("bus", r.bus(), DiskBus.class, false, errors);
        IoMode io = choice("io", r.io(), IoMode.class, false, errors);
        CacheMode cache = choice("cache", r.cache(), CacheMode.class, false, errors);
        if (r.source() == null || r.source().isBlank()) {
            errors.add(FieldError.of("source", "is required (a path, a device, or an iSCSI target name)"));
        }
        int vcpus = r.vcpus() == null ? 1 : r.vcpus();
        if (vcpus < 1 || vcpus > 4096) {
            errors.add(FieldError.of("vcpus", "must be 1 to 4096"));
        }
        if (!errors.isEmpty()) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, "the disk description is not valid", errors);
        }
        try {
            return new DiskDescription(type, r.source(), r.portal(), format, allocation, bus, vcpus,
                    r.unit() == null ? 0 : r.unit(), io, cache, r.queues());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, e.getMessage(), null);
        }
    }

    private static <E extends Enum<E>> E choice(String field, String value, Class<E> type, boolean required,
            List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(FieldError.of(field, "is required"));
            }
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.of(field, "'" + value + "' is not one of "
                    + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList()));
            return null;
        }
    }

    private StorageFabric fabric() {
        StorageFabric fabric = storage.fabric();
        if (fabric == null) {
            throw new ApiException(ProblemType.SERVICE_UNAVAILABLE, "the storage redirector is off (fabric.storage.enabled)", null);
        }
        return fabric;
    }
}
