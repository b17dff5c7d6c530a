package io.fabricipam.ovs.channel;

/** A request to a switch failed: it answered with an ERROR, it timed out, or the connection went away. */
public final class OfRequestException extends RuntimeException {

    public OfRequestException(String message) {
        super(message);
    }
}
