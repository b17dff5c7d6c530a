package io.fabricipam.api.reservation;

import io.fabricipam.dhcp.scope.Reservation;
import java.util.UUID;

/** A reservation: the MAC, its address, and the hostname sent to it (option 12) if any. */
public record ReservationResponse(UUID scopeId, String mac, String ip, String hostname) {

    public static ReservationResponse of(Reservation r) {
        return new ReservationResponse(r.scopeId(), r.mac().toString(), r.address().toString(), r.hostname());
    }
}
