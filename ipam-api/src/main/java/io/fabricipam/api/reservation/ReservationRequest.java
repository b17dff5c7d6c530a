package io.fabricipam.api.reservation;

/**
 * {@code {"mac": "02:00:00:00:00:01"}} binds the MAC to the next free address at once;
 * {@code {"mac": ..., "ip": "10.20.0.10", "hostname": "vm-one"}} to that address.
 */
public record ReservationRequest(String mac, String ip, String hostname) {
}
