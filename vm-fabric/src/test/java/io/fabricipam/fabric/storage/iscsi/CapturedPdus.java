package io.fabricipam.fabric.storage.iscsi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * PDUs captured from real sessions (see src/test/resources/iscsi/captures/README.md): one line
 * per PDU, "&gt; conn hex" from the initiator, "&lt; conn hex" from the target.
 */
public record CapturedPdus(List<Captured> pdus) {

    public record Captured(boolean fromInitiator, int connection, byte[] bytes) {
        public IscsiOpcode opcode() {
            return IscsiOpcode.valueOf(bytes[0]);
        }
    }

    public static CapturedPdus load(String name) {
        String path = "/iscsi/captures/" + name;
        try (InputStream in = CapturedPdus.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + path);
            }
            List<Captured> list = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ");
                list.add(new Captured(parts[0].equals(">"), Integer.parseInt(parts[1]), HexFormat.of().parseHex(parts[2])));
            }
            return new CapturedPdus(List.copyOf(list));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Captured> withOpcode(IscsiOpcode opcode) {
        return pdus.stream().filter(p -> p.opcode().equals(opcode)).toList();
    }

    public Captured first(IscsiOpcode opcode) {
        return withOpcode(opcode).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no " + opcode + " in the capture"));
    }
}
