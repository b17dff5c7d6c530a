package io.fabricipam.dhcp.server;

import java.time.Duration;

/**
 * @param offerHold        how long an offered address waits for the client's REQUEST before returning
 *                         to the pool
 * @param declineProbation how long an address reported in use by DHCPDECLINE is kept out of the pool
 */
public record ResponderSettings(Duration offerHold, Duration declineProbation) {

    public static final ResponderSettings DEFAULTS = new ResponderSettings(Duration.ofSeconds(30), Duration.ofHours(24));

    public ResponderSettings {
        if (offerHold.isNegative() || offerHold.isZero() || declineProbation.isNegative()) {
            throw new IllegalArgumentException("offer hold must be positive and probation not negative");
        }
    }
}
