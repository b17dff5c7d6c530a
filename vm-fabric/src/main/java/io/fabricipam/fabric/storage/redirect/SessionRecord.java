package io.fabricipam.fabric.storage.redirect;

import java.time.Instant;

/**
 * One line of the session log: who logged in, where the redirector sent them, when and why.
 *
 * @param client         the initiator's TCP address as the redirector saw it ("127.0.0.1:51234");
 *                       for {@link SessionOutcome#DROPPED_FOR_FAILBACK} the address the target saw
 * @param initiatorName  the InitiatorName key (null if the login never said)
 * @param isid           the initiator session id as 12 hex digits (null if unknown)
 * @param sessionType    "Normal" or "Discovery"
 * @param targetName     the IQN asked for (null for discovery)
 * @param chosenTarget   the name of the target chosen (null when refused)
 * @param targetAddress  the TargetAddress sent ("127.0.0.1:3260"; null when refused)
 * @param reason         the explanation, in words
 */
public record SessionRecord(Instant at, String client, String initiatorName, String isid, String sessionType,
                            String targetName, SessionOutcome outcome, String chosenTarget, String targetAddress,
                            String reason) {
}
