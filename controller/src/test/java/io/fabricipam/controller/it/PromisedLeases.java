package io.fabricipam.controller.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The leases clients were promised (MAC -> address of a DHCPACK they received), checked against a restarted
 * service the way an operator and the clients themselves would look:
 * <ol>
 * <li>no address was promised to two clients;</li>
 * <li>the history over REST ({@code GET /api/v1/leases/{ip}/history}): the newest event of each promised
 *     address, read before anything else touches it, is that client's binding (bound or renewed, not a
 *     binding "recovered" from a renewing client) from before the last kill;</li>
 * <li>each client in INIT-REBOOT (REQUEST with option 50, no server identifier, ciaddr 0) is ACKed its
 *     address: a server that lost the lease stays silent (RFC 2131 §4.3.2) or NAKs;</li>
 * <li>the lease table ({@code GET /api/v1/leases?state=bound}): one bound lease per address and per MAC, and
 *     the promised address bound to the promised MAC; for a few clients also {@code /leases/by-mac/{mac}}.</li>
 * </ol>
 * A RENEWING request would not do: the server rightly re-binds a free pool address for a renewing client it
 * has no record of, so a lost lease would pass.
 */
final class PromisedLeases {

    private static final int HISTORY_THREADS = 4;
    private static final int PAGE_SIZE = 1000;
    private static final int REBOOT_WINDOW = 32;
    private static final int BY_MAC_SAMPLE = 20;
    private static final int EXAMPLES = 5;

    private final Map<String, RelayedClients.Holder> byMac = new TreeMap<>();
    private final Map<String, List<String>> macsByAddress = new HashMap<>();
    private String timings = "";

    /** Records that {@code mac} was acknowledged {@code address}; {@code clientId} is its option 61, or null. */
    void add(String mac, String address, byte[] clientId) {
        RelayedClients.Holder previous = byMac.put(mac, new RelayedClients.Holder(mac, address, clientId));
        if (previous != null && !previous.address().equals(address)) {
            macsByAddress.get(previous.address()).remove(mac);
        }
        List<String> holders = macsByAddress.computeIfAbsent(address, a -> new ArrayList<>());
        if (!holders.contains(mac)) {
            holders.add(mac);
        }
    }

    /** Records ACKs (MAC -> address) of clients that send no client identifier. */
    void addAll(Map<String, String> acks) {
        acks.forEach((mac, address) -> add(mac, address, null));
    }

    int size() {
        return byMac.size();
    }

    boolean contains(String mac) {
        return byMac.containsKey(mac);
    }

    private String addressOf(String mac) {
        return byMac.get(mac).address();
    }

    /**
     * Every way in which the service broke a promise, grouped by check (a line with the count, then a few
     * examples); empty when each is kept. {@code lastKill}: events after it cannot be the pre-crash binding.
     * {@code sampleByMac}: MACs also looked up through by-mac (the real clients).
     */
    List<String> check(FabricApi api, RelayedClients relay, Instant lastKill, Collection<String> sampleByMac) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        macsByAddress.forEach((address, macs) -> {
            if (macs.size() > 1) {
                problem(problems, "one address acknowledged to several clients", address + ": " + macs);
            }
        });

        // the history first: the INIT-REBOOTs below add events of their own
        long start = System.nanoTime();
        Map<String, JsonNode> newest = newestEvents(api, byMac.values().stream().map(RelayedClients.Holder::address).toList());
        byMac.forEach((mac, holder) -> {
            String address = holder.address();
            JsonNode event = newest.get(address);
            if (event == null) {
                problem(problems, "history: the address has no event at all", mac + " was acknowledged " + address);
                return;
            }
            String type = event.path("type").asText();
            String detail = event.path("detail").asText("");
            Instant at = Instant.parse(event.path("at").asText());
            if (!mac.equals(event.path("mac").asText()) || !(type.equals("bound") || type.equals("renewed"))
                    || detail.contains("recovered") || at.isAfter(lastKill)) {
                problem(problems, "history: the newest event is not the client's binding from before the kill at " + lastKill,
                        mac + " was acknowledged " + address + "; newest event " + event);
            }
        });

        long historyDone = System.nanoTime();
        Map<String, RelayedClients.Answer> answers = relay.initReboot(byMac.values(), REBOOT_WINDOW);
        long rebootDone = System.nanoTime();
        byMac.forEach((mac, holder) -> {
            RelayedClients.Answer answer = answers.get(mac);
            if (answer == null || !answer.isAckOf(holder.address())) {
                problem(problems, "INIT-REBOOT: no ACK of the client's address", mac + " asked for " + holder.address()
                        + " and got " + answer);
            }
        });

        checkTable(api, problems);
        int sampled = 0;
        for (String mac : sampleByMac) {
            if (byMac.containsKey(mac) && sampled++ < BY_MAC_SAMPLE) {
                JsonNode leases = api.get("/api/v1/leases/by-mac/" + mac);
                boolean found = false;
                for (JsonNode lease : leases) {
                    found |= lease.path("ip").asText().equals(addressOf(mac)) && lease.path("state").asText().equals("bound");
                }
                if (!found) {
                    problem(problems, "by-mac: the client's address is not shown bound", mac + " (" + addressOf(mac)
                            + "): " + leases);
                }
            }
        }
        timings = String.format("history %.1f s, INIT-REBOOT %.1f s, table and by-mac %.1f s", (historyDone - start) / 1e9,
                (rebootDone - historyDone) / 1e9, (System.nanoTime() - rebootDone) / 1e9);

        List<String> report = new ArrayList<>();
        problems.forEach((kind, examples) -> {
            report.add(kind + ": " + examples.size() + " of " + byMac.size() + " promised leases, e.g.");
            examples.stream().limit(EXAMPLES).forEach(e -> report.add("    " + e));
        });
        return report;
    }

    private static void problem(Map<String, List<String>> problems, String kind, String example) {
        problems.computeIfAbsent(kind, k -> new ArrayList<>()).add(example);
    }

    /** How long each part of the last {@link #check} took. */
    String timings() {
        return timings;
    }

    /** The newest history event of each address (absent when it has none), fetched a few at a time. */
    private static Map<String, JsonNode> newestEvents(FabricApi api, Collection<String> addresses) {
        Map<String, JsonNode> newest = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(HISTORY_THREADS);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (String address : addresses) {
                calls.add(pool.submit(() -> {
                    JsonNode history = api.get("/api/v1/leases/" + address + "/history?limit=5");
                    if (history.size() > 0) {
                        newest.put(address, history.get(0)); // newest first
                    }
                }));
            }
            for (Future<?> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("reading lease history: " + e, e);
        } finally {
            pool.shutdownNow();
        }
        return newest;
    }

    /** One bound lease per address and per MAC in the whole table, and each promise in it. */
    private void checkTable(FabricApi api, Map<String, List<String>> problems) {
        Map<String, String> macOfAddress = new HashMap<>();
        Map<String, String> addressOfMac = new HashMap<>();
        for (int page = 0; ; page++) {
            JsonNode body = api.get("/api/v1/leases?state=bound&size=" + PAGE_SIZE + "&page=" + page);
            for (JsonNode lease : body.path("items")) {
                String ip = lease.path("ip").asText();
                String mac = lease.path("mac").asText();
                String otherMac = macOfAddress.put(ip, mac);
                if (otherMac != null) {
                    problem(problems, "lease table: an address bound twice", ip + " to " + otherMac + " and " + mac);
                }
                String otherIp = addressOfMac.put(mac, ip);
                if (otherIp != null) {
                    problem(problems, "lease table: a MAC holding two bound leases", mac + ": " + otherIp + " and " + ip);
                }
            }
            if ((long) (page + 1) * PAGE_SIZE >= body.path("total").asLong()) {
                break;
            }
        }
        byMac.forEach((mac, promise) -> {
            String holder = macOfAddress.get(promise.address());
            if (!mac.equals(holder)) {
                problem(problems, "lease table: the address is not bound to the client", mac + " was acknowledged "
                        + promise.address() + ", which is " + (holder == null ? "not bound" : "bound to " + holder));
            }
        });
    }
}
