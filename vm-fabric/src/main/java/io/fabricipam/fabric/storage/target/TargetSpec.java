package io.fabricipam.fabric.storage.target;

import java.util.List;
import java.util.Objects;

/**
 * A storage target as configured: where it listens and how it relates to this host. Every
 * target that serves a disk exports the same IQN with the same data (distributed storage), so
 * that an initiator redirected from one to another finds its disk there.
 *
 * @param name    unique among the registered targets; what logs, the API and session records call it
 *                (the rules of {@link TargetRules}: a scope name's characters and length)
 * @param portal  the address initiators are redirected to and the prober connects to (port required)
 * @param local   on this host: preferred while healthy (no network hop between QEMU and its disk)
 * @param iqns    the IQNs it exports, at most {@link TargetRules#MAX_IQNS}; empty to learn them with
 *                SendTargets (the prober asks again now and then)
 * @param admin   the target's admin address for failback (tgtd's control port, digits, for
 *                {@code TgtAdminDriver}); null, or blank, when sessions cannot be dropped there
 */
public record TargetSpec(String name, Portal portal, boolean local, List<String> iqns, String admin) {

    /** @throws InvalidTargetException naming every field that breaks {@link TargetRules} */
    public TargetSpec {
        Objects.requireNonNull(portal, "portal");
        List<Violation> violations = TargetRules.check(name, portal, iqns, admin);
        if (!violations.isEmpty()) {
            throw new InvalidTargetException(violations);
        }
        iqns = List.copyOf(iqns == null ? List.of() : iqns);
        admin = admin == null || admin.isBlank() ? null : admin.strip(); // one way to say "none", for drivers and equals
    }

    /** A target with discovered IQNs and no admin address; {@code portal} as {@link Portal#parse} reads it. */
    public static TargetSpec of(String name, String portal, boolean local) {
        return new TargetSpec(name, Portal.parse(portal), local, List.of(), null);
    }

    public TargetSpec withAdmin(String admin) {
        return new TargetSpec(name, portal, local, iqns, admin);
    }

    public TargetSpec withIqns(List<String> iqns) {
        return new TargetSpec(name, portal, local, iqns, admin);
    }
}
