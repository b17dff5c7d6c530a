package io.fabricipam.fabric.storage.target;

/**
 * Where a login goes, and why in words (the session log and the API show the explanation as is).
 *
 * @param target       the chosen target: present with {@link Verdict#REDIRECT}, null otherwise
 * @param explanation  the chosen target and the ones passed over, or why none could be chosen
 */
public record PathChoice(Verdict verdict, TargetStatus target, String explanation) {

    public enum Verdict {
        /** Send the initiator to {@link PathChoice#target()} (login status 0x0101). */
        REDIRECT,
        /** Targets export the name but none is usable now: 0x0301, the initiator retries later. */
        NO_USABLE_TARGET,
        /** No registered target exports the name: 0x0203, retrying will not help. */
        UNKNOWN_TARGET_NAME
    }

    public PathChoice {
        if ((verdict == Verdict.REDIRECT) != (target != null)) {
            throw new IllegalArgumentException("a target goes with REDIRECT and only with it");
        }
    }
}
