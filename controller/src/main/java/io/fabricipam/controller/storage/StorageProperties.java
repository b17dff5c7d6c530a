package io.fabricipam.controller.storage;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code fabric.storage.*}: the iSCSI login redirector and the storage targets behind it.
 *
 * @param enabled          run the redirector at all
 * @param redirector       where QEMU's iSCSI portal is ({@code listen}, default 127.0.0.1:3261)
 * @param targets          targets known at start; more with {@code POST /api/v1/storage/targets}
 * @param probe            NOP-Out ping interval and timeout per target
 * @param failback         sessions of local initiators on remote targets are dropped once the local
 *                         target has been healthy for {@code holdDown}
 * @param fenceUnavailable cut this host's connections to a target that becomes unavailable (ss -K), so a
 *                         hung target fails over in about 2 s instead of QEMU's own 15 s
 * @param sessionLogSize   how many redirect decisions {@code GET /api/v1/storage/sessions} keeps
 */
@ConfigurationProperties("fabric.storage")
public record StorageProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue Redirector redirector,
        List<Target> targets,
        @DefaultValue Probe probe,
        @DefaultValue Failback failback,
        @DefaultValue("true") boolean fenceUnavailable,
        @DefaultValue("1000") int sessionLogSize) {

    public StorageProperties {
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    public record Redirector(@DefaultValue("127.0.0.1:3261") String listen) {
    }

    /**
     * @param admin the target-admin handle (for tgtd: its control port, {@code tgtadm -C N}); none: no failback
     *              drops on this target
     */
    public record Target(String name, String portal, boolean local, List<String> iqns, String admin) {
    }

    public record Probe(@DefaultValue("200ms") Duration interval, @DefaultValue("500ms") Duration timeout) {
    }

    public record Failback(@DefaultValue("true") boolean enabled, @DefaultValue("10s") Duration holdDown) {
    }
}
