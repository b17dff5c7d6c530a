package io.fabricipam.fabric.storage.target;

import io.fabricipam.fabric.storage.iscsi.IscsiName;
import io.fabricipam.fabric.storage.text.SafeText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a storage target's description must satisfy, checked before anything is registered or probed,
 * all at once so that a caller can fix every field in one go. Pure.
 * <ul>
 *   <li>{@code name}: 1 to {@value #MAX_NAME_LENGTH} letters, digits, '.', '_' or '-', starting with a letter
 *       or digit: the rule of scope names (and of token names), so a name is always a safe path segment,
 *       file name and log word;</li>
 *   <li>{@code portal}: an IP address or host name and a port of 1 to 65535 ({@link Portal});</li>
 *   <li>{@code iqns}: at most {@value #MAX_IQNS}, each an iSCSI name ({@link IscsiName});</li>
 *   <li>{@code admin}: absent, or tgtd's control port ({@code tgtadm -C N}), 0 to {@value #MAX_ADMIN}.</li>
 * </ul>
 */
public final class TargetRules {

    public static final int MAX_NAME_LENGTH = 63;
    /**
     * IQNs one target may list (or that discovery keeps): a target serves a host's VM disks, and each IQN
     * is a line in every SendTargets answer of the redirector.
     */
    public static final int MAX_IQNS = 64;
    public static final int MAX_ADMIN = 65535;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_NAME_LENGTH - 1) + "}");
    private static final Pattern ADMIN = Pattern.compile("[0-9]{1,5}");

    private TargetRules() {
    }

    /** Every rule {@code name}, {@code portal}, {@code iqns} and {@code admin} break (empty when none). */
    public static List<Violation> check(String name, Portal portal, List<String> iqns, String admin) {
        List<Violation> violations = new ArrayList<>();
        nameProblem(name).ifPresent(violations::add);
        if (portal != null && portal.port() == 0) { // fine for a listener, but nobody can be redirected to "any port"
            violations.add(new Violation("portal", "a target portal needs a port (1 to " + Portal.MAX_PORT + ")"));
        }
        violations.addAll(iqnProblems(iqns));
        if (admin != null && !admin.isBlank() && !isAdmin(admin)) {
            violations.add(new Violation("admin", "must be tgtd's control port (tgtadm -C N), 0 to " + MAX_ADMIN
                    + ", not " + SafeText.quote(admin)));
        }
        return violations;
    }

    static Optional<Violation> nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of(new Violation("name", "is required"));
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of(new Violation("name", "must be 1-" + MAX_NAME_LENGTH + " letters, digits, '.',"
                    + " '_' or '-', starting with a letter or digit" + (name.length() > MAX_NAME_LENGTH
                    ? " (got " + name.length() + " characters)" : ", not " + SafeText.quote(name))));
        }
        return Optional.empty();
    }

    static List<Violation> iqnProblems(List<String> iqns) {
        if (iqns == null) {
            return List.of();
        }
        if (iqns.size() > MAX_IQNS) {
            return List.of(new Violation("iqns", "at most " + MAX_IQNS + " IQNs per target, not " + iqns.size()));
        }
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < iqns.size(); i++) {
            int index = i;
            IscsiName.problem(iqns.get(i)).ifPresent(p -> violations.add(new Violation("iqns[" + index + "]", p)));
        }
        return violations;
    }

    private static boolean isAdmin(String admin) {
        String a = admin.strip();
        return ADMIN.matcher(a).matches() && Integer.parseInt(a) <= MAX_ADMIN;
    }
}
