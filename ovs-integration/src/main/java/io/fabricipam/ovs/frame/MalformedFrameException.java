package io.fabricipam.ovs.frame;

/** A frame the codec refuses, with the reason it is counted under. Carries no stack trace: it is routine. */
public final class MalformedFrameException extends Exception {

    private final FrameError reason;

    public MalformedFrameException(FrameError reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public FrameError reason() {
        return reason;
    }
}
