package io.fabricipam.controller.it;

import io.fabricipam.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces, a bridge inside one of them, and veth links, made for one test and removed by name
 * afterwards (never by pattern). Every process it starts is remembered and killed by PID on close. All
 * names start with the lab's prefix so parallel test runs never collide.
 */
public final class NetworkLab implements AutoCloseable {

    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Path dir;
    private int links;

    public NetworkLab(String prefix) {
        if (prefix.length() > 6) {
            throw new IllegalArgumentException("prefix too long for 15-character interface names: " + prefix);
        }
        // skipped without them, or failed where tools are required (CI, scripts/test)
        Tools.requireThat(Tools.root(), "root (network namespaces, UDP port 67)");
        Tools.require("ip", "ethtool");
        this.prefix = prefix;
        try {
            // under target/ so a failed run's logs stay for diagnosis and `mvn clean` removes them
            Path labs = Files.createDirectories(Path.of("target", "it-labs").toAbsolutePath());
            this.dir = Files.createTempDirectory(labs, prefix + "-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // leftovers of an aborted earlier run of this same test
        for (String ns : run("ip", "netns", "list").lines().map(l -> l.split(" ")[0]).toList()) {
            if (ns.startsWith(prefix + "-")) {
                run("ip", "netns", "del", ns);
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /** The prefix of every name this lab makes (namespaces are {@code prefix-name}). */
    public String prefix() {
        return prefix;
    }

    public String namespace(String name) {
        String ns = prefix + "-" + name;
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        exec(ns, "ip", "link", "set", "lo", "up");
        return ns;
    }

    /** A Linux bridge inside {@code ns} holding {@code cidr} (e.g. 10.77.0.2/24): the server's link. */
    public String bridge(String ns, String name, String cidr) {
        exec(ns, "ip", "link", "add", name, "type", "bridge");
        exec(ns, "ip", "link", "set", name, "type", "bridge", "forward_delay", "0");
        if (cidr != null) {
            exec(ns, "ip", "addr", "add", cidr, "dev", name);
        }
        exec(ns, "ip", "link", "set", name, "up");
        return name;
    }

    /**
     * A new namespace whose interface (named uniquely, e.g. fit2c1) is plugged into {@code bridge} of
     * {@code bridgeNs}, with checksum offload off on both ends (LAB-NOTES: the userspace path and veth
     * leave partial checksums). Returns the client interface name; its namespace is {@code prefix-name}.
     */
    public String client(String name, String bridgeNs, String bridge, String mac) {
        String ns = namespace(name);
        int n = ++links;
        String inside = prefix + "c" + n;
        String outside = prefix + "p" + n;
        run("ip", "link", "add", inside, "netns", ns, "type", "veth", "peer", "name", outside, "netns", bridgeNs);
        if (mac != null) {
            exec(ns, "ip", "link", "set", inside, "address", mac);
        }
        exec(bridgeNs, "ip", "link", "set", outside, "master", bridge);
        exec(bridgeNs, "ip", "link", "set", outside, "up");
        exec(ns, "ip", "link", "set", inside, "up");
        exec(ns, "ethtool", "-K", inside, "tx", "off");
        exec(bridgeNs, "ethtool", "-K", outside, "tx", "off");
        return inside;
    }

    /** Runs a command in {@code ns} and returns its output; fails the test on a non-zero exit. */
    public String exec(String ns, String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(command));
        return run(c.toArray(String[]::new));
    }

    /** Runs a command in {@code ns}; returns its exit code (output goes to {@code log}). */
    public int execStatus(String ns, Duration timeout, Path log, String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a long-running command in {@code ns}; it is killed by PID on close. */
    public Process start(String ns, Path log, String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The IPv4 address (without prefix) on {@code iface} in {@code ns}, or null. */
    public String address(String ns, String iface) {
        String out = exec(ns, "ip", "-4", "-o", "addr", "show", "dev", iface);
        for (String word : out.split("\\s+")) {
            if (word.contains("/") && Character.isDigit(word.charAt(0))) {
                return word.substring(0, word.indexOf('/'));
            }
        }
        return null;
    }

    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("failed (" + p.exitValue() + "): " + String.join(" ", command) + "\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Closes each part that is not null, in order (the service before the bridges before the lab), going
     * on past failures so that one broken part does not leave the others behind; throws the first failure.
     */
    public static void closeAll(AutoCloseable... parts) {
        RuntimeException first = null;
        for (AutoCloseable part : parts) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("closing " + part, e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                run("ip", "netns", "del", namespaces.get(i));
            } catch (RuntimeException e) {
                System.err.println("could not delete namespace " + namespaces.get(i) + ": " + e.getMessage());
            }
        }
    }
}
