package io.fabricipam.dhcp.journal;

import io.fabricipam.dhcp.lease.ClientKey;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEvent;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.store.LeaseChange;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * One durable lease change as journal bytes (about 150): the row to write at (scope, address), or its
 * deletion, and the event. {@code before} is not kept: replaying only needs the result. Instants keep
 * millisecond precision, as the stores do. A format version leads, so a later format can read old files.
 */
public final class LeaseRecordCodec {

    static final int VERSION = 1;
    private static final long NO_TIME = Long.MIN_VALUE;
    private static final long NO_MAC = -1;

    private LeaseRecordCodec() {
    }

    public static byte[] encode(LeaseChange change) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(192);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            uuid(out, change.scopeId());
            out.writeInt(change.address().value());
            Lease after = change.after();
            LeaseEvent event = change.event();
            out.writeByte((after != null ? 1 : 0) | (event != null ? 2 : 0));
            if (after != null) {
                client(out, after.client());
                mac(out, after.mac());
                text(out, after.hostname());
                out.writeByte(after.state().ordinal());
                time(out, after.startedAt());
                time(out, after.expiresAt());
                text(out, after.seenOn());
            }
            if (event != null) {
                out.writeByte(event.type().ordinal());
                client(out, event.client());
                mac(out, event.mac());
                time(out, event.at());
                time(out, event.expiresAt());
                text(out, event.seenOn());
                text(out, event.detail());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** The change {@code bytes} encode; a deletion carries the key in {@code before} (state EXPIRED, no client). */
    public static LeaseChange decode(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("journal record format " + version + " is not known (this build reads " + VERSION + ")");
        }
        UUID scope = new UUID(in.readLong(), in.readLong());
        Ipv4Address address = new Ipv4Address(in.readInt());
        int flags = in.readUnsignedByte();
        Lease after = null;
        if ((flags & 1) != 0) {
            ClientKey client = client(in);
            MacAddress mac = mac(in);
            String hostname = text(in);
            LeaseState state = LeaseState.values()[in.readUnsignedByte()];
            Instant started = time(in);
            Instant expires = time(in);
            after = new Lease(scope, address, client, mac, hostname, state, started, expires, text(in));
        }
        LeaseEvent event = null;
        if ((flags & 2) != 0) {
            LeaseEventType type = LeaseEventType.values()[in.readUnsignedByte()];
            ClientKey client = client(in);
            MacAddress mac = mac(in);
            Instant at = time(in);
            Instant expires = time(in);
            String seenOn = text(in);
            event = new LeaseEvent(scope, address, type, client, mac, at, expires, seenOn, text(in));
        }
        Lease before = after != null ? null
                : new Lease(scope, address, null, null, null, LeaseState.EXPIRED, null, Instant.EPOCH, null);
        return new LeaseChange(before, after, event, true);
    }

    private static void uuid(DataOutputStream out, UUID id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static void client(DataOutputStream out, ClientKey key) throws IOException {
        text(out, key == null ? null : key.toString());
    }

    private static ClientKey client(DataInputStream in) throws IOException {
        String text = text(in);
        return text == null ? null : ClientKey.parse(text);
    }

    private static void mac(DataOutputStream out, MacAddress mac) throws IOException {
        out.writeLong(mac == null ? NO_MAC : mac.value());
    }

    private static MacAddress mac(DataInputStream in) throws IOException {
        long v = in.readLong();
        return v == NO_MAC ? null : new MacAddress(v);
    }

    private static void time(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t == null ? NO_TIME : t.toEpochMilli());
    }

    private static Instant time(DataInputStream in) throws IOException {
        long v = in.readLong();
        return v == NO_TIME ? null : Instant.ofEpochMilli(v);
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeShort(0xffff);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length >= 0xffff) {
            throw new IllegalArgumentException("text of " + b.length + " bytes does not fit a journal record");
        }
        out.writeShort(b.length);
        out.write(b);
    }

    private static String text(DataInputStream in) throws IOException {
        int len = in.readUnsignedShort();
        if (len == 0xffff) {
            return null;
        }
        byte[] b = in.readNBytes(len);
        if (b.length != len) {
            throw new IOException("journal record ends inside a text");
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
