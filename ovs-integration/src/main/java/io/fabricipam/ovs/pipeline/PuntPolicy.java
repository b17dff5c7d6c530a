package io.fabricipam.ovs.pipeline;

import io.fabricipam.ovs.flow.FlowCookie;
import java.util.Objects;

/**
 * The knobs of the pipeline that are not bridge state: the cookie marking our flows, the table we use,
 * and the rate and burst of the per-port DHCP meters (packets per second).
 */
public record PuntPolicy(FlowCookie cookie, int table, long meterRatePps, long meterBurst) {

    public static final PuntPolicy DEFAULT = new PuntPolicy(FlowCookie.DEFAULT, 0, 100, 50);

    public PuntPolicy {
        Objects.requireNonNull(cookie, "cookie");
        if (table < 0 || table > 254) {
            throw new IllegalArgumentException("table out of range: " + table);
        }
        if (meterRatePps <= 0 || meterBurst < 0) {
            throw new IllegalArgumentException("meter rate must be positive and burst not negative");
        }
    }
}
