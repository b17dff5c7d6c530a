package io.fabricipam.controller.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
    private static final int MAX_REPORTED = 25;

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
     * Every way in which the service broke a promise; empty when each is kept. {@code lastKill}: events after
     * it cannot be the pre-crash binding. {@code sampleByMac}: MACs also looked up through by-mac (real clients).
     */
    List<String> check(FabricApi api, RelayedClients relay, Instant lastKill, Collection<String> sampleByMac) {
        List<String> problems = new ArrayList<>();
        macsByAddress.forEach((address, macs) -> {
            if (macs.size() > 1) {
                problems.add(address + " was acknowledged to several clients: " + macs);
            }
        });

        // the history first: the INIT-REBOOTs below add events of their own
        long start = System.nanoTime();
        Map<String, JsonNode> newest = newestEvents(api, byMac.values().stream().map(RelayedClients.Holder::address).toList());
        byMac.forEach((mac, holder) -> {
            String address = holder.address();
            JsonNode event = newest.get(address);
            if (event == null) {
                problems.add(mac + " was acknowledged " + address + ", which has no history");
                return;
            }
            String type = event.path("type").asText();
            String detail = event.path("detail").asText("");
            Instant at = Instant.parse(event.path("at").asText());
            if (!mac.equals(event.path("mac").asText()) || !(type.equals("bound") || type.equals("renewed"))
                    || detail.contains("recovered") || at.isAfter(lastKill)) {
                problems.add(mac + " was acknowledged " + address + " before the kill at " + lastKill
                        + ", but the newest event of the address is " + event);
            }
        });

        long historyDone = System.nanoTime();
        Map<String, RelayedClients.Answer> answers = relay.initReboot(byMac.values(), REBOOT_WINDOW);
        long rebootDone = System.nanoTime();
        byMac.forEach((mac, holder) -> {
            String address = holder.address();
            RelayedClients.Answer answer = answers.get(mac);
            if (answer == null || !answer.isAckOf(address)) {
                problems.add(mac + " in INIT-REBOOT for " + address + " got " + answer + ", not an ACK of it");
            }
        });

        problems.addAll(checkTable(api));
        timings = String.format("history %.1f s, INIT-REBOOT %.1f s, table and by-mac %.1f s", (historyDone - start) / 1e9,
                (rebootDone - historyDone) / 1e9, (System.nanoTime() - rebootDone) / 1e9);
        int sampled = 0;
        for (String mac : sampleByMac) {
            if (byMac.containsKey(mac) && sampled++ < BY_MAC_SAMPLE) {
                JsonNode leases = api.get("/api/v1/leases/by-mac/" + mac);
                boolean found = false;
                for (JsonNode lease : leases) {
                    found |= lease.path("ip").asText().equals(addressOf(mac)) && lease.path("state").asText().equals("bound");
                }
                if (!found) {
                    problems.add("by-mac of " + mac + " does not show " + addressOf(mac) + " bound: " + leases);
                }
            }
        }
        return problems.size() > MAX_REPORTED
                ? append(problems.subList(0, MAX_REPORTED), "... and " + (problems.size() - MAX_REPORTED) + " more")
                : problems;
    }

    /** How long each part of the last {@link #check} took. */
    String timings() {
        return timings;
    }

    private static List<String> append(List<String> list, String line) {
        List<String> copy = new ArrayList<>(list);
        copy.add(line);
        return copy;
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
    private List<String> checkTable(FabricApi api) {
        List<String> problems = new ArrayList<>();
        Map<String, String> macOfAddress = new HashMap<>();
        Map<String, String> addressOfMac = new HashMap<>();
        for (int page = 0; ; page++) {
            JsonNode body = api.get("/api/v1/leases?state=bound&size=" + PAGE_SIZE + "&page=" + page);
            for (JsonNode lease : body.path("items")) {
                String ip = lease.path("ip").asText();
                String mac = lease.path("mac").asText();
                String otherMac = macOfAddress.put(ip, mac);
                if (otherMac != null) {
                    problems.add(ip + " is bound twice in the lease table: to " + otherMac + " and " + mac);
                }
                String otherIp = addressOfMac.put(mac, ip);
                if (otherIp != null) {
                    problems.add(mac + " holds two bound leases: " + otherIp + " and " + ip);
                }
            }
            if ((long) (page + 1) * PAGE_SIZE >= body.path("total").asLong()) {
                break;
            }
        }
        byMac.forEach((mac, promise) -> {
            String address = promise.address();
            String holder = macOfAddress.get(address);
            if (!mac.equals(holder)) {
                problems.add(mac + " was acknowledged " + address + ", which the lease table shows "
                        + (holder == null ? "not bound" : "bound to " + holder));
            }
        });
        return problems;
    }
}
