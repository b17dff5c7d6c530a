package io.fabricipam.api.lease;

import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseState;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A lease as the API shows it. {@code state} is the state at the time of the request: a binding past its
 * expiry reads "expired" even before the sweeper records it. {@code history} is filled when one lease is
 * asked for.
 */
public record LeaseResponse(
        UUID scopeId,
        String scope,
        String ip,
        String mac,
        String clientId,
        String hostname,
        String state,
        Instant startedAt,
        Instant expiresAt,
        String seenOn,
        List<LeaseEventResponse> history) {

    public static LeaseResponse of(Lease lease, String scopeName, Instant now, List<LeaseEventResponse> history) {
        LeaseState state = lease.state();
        if (state.holdsAddress() && !lease.holdsAddressAt(now)) {
            state = LeaseState.EXPIRED; // past its expiry or probation; the sweeper will record it
        }
        return new LeaseResponse(lease.scopeId(), scopeName, lease.address().toString(),
                lease.mac() == null ? null : lease.mac().toString(), lease.client() == null ? null : lease.client().toString(),
                lease.hostname(), state.name().toLowerCase(Locale.ROOT), lease.startedAt(), lease.expiresAt(), lease.seenOn(),
                history);
    }
}
