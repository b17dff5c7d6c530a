package io.fabricipam.fabric.storage.iscsi;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Socket input with an overall deadline: every read gets only the time left, so a peer that
 * trickles one byte at a time (a slow loris) cannot stretch a read of one PDU beyond the
 * deadline the way a per-read timeout alone would allow.
 */
public final class DeadlineInputStream extends InputStream {

    private final Socket socket;
    private final InputStream in;
    private long deadlineNanos;

    public DeadlineInputStream(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.deadlineNanos = Long.MAX_VALUE;
    }

    /** Reads after this fail with {@link SocketTimeoutException} once {@code nanoTime} passes the deadline. */
    public void deadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (deadlineNanos != Long.MAX_VALUE) {
            long leftMillis = (deadlineNanos - System.nanoTime() + 999_999) / 1_000_000;
            if (leftMillis <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
        }
        return in.read(b, off, len);
    }
}
