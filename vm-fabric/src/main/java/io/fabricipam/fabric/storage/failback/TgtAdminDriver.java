package io.fabricipam.fabric.storage.failback;

import io.fabricipam.fabric.storage.target.TargetSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link TargetAdminDriver} for the Linux SCSI target framework (tgt) through {@code tgtadm}.
 * A target's {@link TargetSpec#admin()} is the control port of its tgtd ({@code tgtd -C N},
 * {@code tgtadm -C N}), so several tgtd instances on one machine stay apart.
 *
 * <p>{@code tgtadm --op show --mode target} lists every target with its I_T nexuses
 * (sessions), their initiator and connections; {@code --op delete --mode conn --tid T --sid S
 * --cid C} closes one connection (checked against tgt 1.0.85).
 */
public final class TgtAdminDriver implements TargetAdminDriver {

    private final String tgtadm;
    private final CommandRunner runner;
    private final Duration timeout;

    public TgtAdminDriver(String tgtadm, CommandRunner runner, Duration timeout) {
        this.tgtadm = tgtadm;
        this.runner = runner;
        this.timeout = timeout;
    }

    public static TgtAdminDriver onThisHost() {
        return new TgtAdminDriver("tgtadm", CommandRunner.PROCESS, Duration.ofSeconds(5));
    }

    @Override
    public boolean manages(TargetSpec target) {
        return target.admin() != null && target.admin().strip().matches("\\d{1,5}");
    }

    @Override
    public List<TargetConnection> connections(TargetSpec target) throws IOException {
        return parseShowTarget(run(target, "--op", "show", "--mode", "target"));
    }

    @Override
    public void drop(TargetSpec target, TargetConnection connection) throws IOException {
        run(target, "--op", "delete", "--mode", "conn", "--tid", connection.targetId(), "--sid",
                connection.sessionId(), "--cid", connection.connectionId());
    }

    private String run(TargetSpec target, String... args) throws IOException {
        if (!manages(target)) {
            throw new IOException("target " + target.name() + " has no tgtd control port as its admin address");
        }
        List<String> command = new ArrayList<>(List.of(tgtadm, "-C", target.admin().strip(), "--lld", "iscsi"));
        command.addAll(List.of(args));
        CommandRunner.Result result = runner.run(command, timeout);
        if (result.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + result.exitCode() + "): "
                    + result.stderr().strip());
        }
        return result.stdout();
    }

    /** Reads the I_T nexus part of {@code tgtadm --op show --mode target}. */
    static List<TargetConnection> parseShowTarget(String text) {
        List<TargetConnection> connections = new ArrayList<>();
        String tid = null;
        String iqn = null;
        String sid = null;
        String initiator = null;
        String cid = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (raw.startsWith("Target ") && line.contains(": ")) {
                tid = line.substring("Target ".length(), line.indexOf(':'));
                iqn = line.substring(line.indexOf(": ") + 2).strip();
                sid = null;
            } else if (line.startsWith("I_T nexus: ")) {
                sid = line.substring("I_T nexus: ".length()).strip();
                initiator = null;
                cid = null;
            } else if (sid != null && line.startsWith("Initiator: ")) {
                String rest = line.substring("Initiator: ".length());
                int alias = rest.indexOf(" alias: ");
                initiator = (alias < 0 ? rest : rest.substring(0, alias)).strip();
            } else if (sid != null && line.startsWith("Connection: ")) {
                cid = line.substring("Connection: ".length()).strip();
            } else if (sid != null && cid != null && line.startsWith("IP Address: ")) {
                connections.add(new TargetConnection(iqn, initiator, line.substring("IP Address: ".length()).strip(),
                        tid, sid, cid));
                cid = null;
            } else if (line.equals("LUN information:")) {
                sid = null;
            }
        }
        return List.copyOf(connections);
    }
}
