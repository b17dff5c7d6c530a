package io.fabricipam.api.scope;

/** A reservation as written by operators: MAC, and optionally the address and a hostname. */
public record ReservationSpec(String mac, String ip, String hostname) {
}
