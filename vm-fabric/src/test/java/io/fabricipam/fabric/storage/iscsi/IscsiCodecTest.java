package io.fabricipam.fabric.storage.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IscsiCodecTest {

    @ParameterizedTest
    @ValueSource(strings = {"libiscsi-tools.pdus", "tgtd-text-nop-reject.pdus"})
    void framesEveryCapturedConnectionBackToTheSameBytes(String fixture) throws Exception {
        CapturedPdus capture = CapturedPdus.load(fixture);
        assertThat(capture.pdus()).hasSizeGreaterThan(20);
        // Join each direction of each connection into one stream, as TCP delivered it, and reframe it.
        List<String> streams = capture.pdus().stream().map(p -> p.connection() + (p.fromInitiator() ? ">" : "<"))
                .distinct().toList();
        for (String stream : streams) {
            List<byte[]> expected = capture.pdus().stream()
                    .filter(p -> (p.connection() + (p.fromInitiator() ? ">" : "<")).equals(stream))
                    .map(CapturedPdus.Captured::bytes).toList();
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            expected.forEach(wire::writeBytes);
            InputStream in = new ByteArrayInputStream(wire.toByteArray());
            List<byte[]> reframed = new ArrayList<>();
            for (Optional<IscsiPdu> pdu = IscsiCodec.read(in, 1 << 20); pdu.isPresent();
                    pdu = IscsiCodec.read(in, 1 << 20)) {
                reframed.add(IscsiCodec.encode(pdu.get()));
            }
            assertThat(reframed).as(stream).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(reframed.get(i)).as(stream + " pdu " + i).isEqualTo(expected.get(i));
            }
        }
    }

    @Test
    void decodeFromABufferWaitsForTheWholePdu() throws Exception {
        byte[] login = CapturedPdus.load("libiscsi-tools.pdus").first(IscsiOpcode.LOGIN_REQUEST).bytes();
        ByteBuffer partial = ByteBuffer.wrap(Arrays.copyOf(login, login.length - 1));
        assertThat(IscsiCodec.decode(partial, 8192)).isEmpty();
        assertThat(partial.position()).isZero();

        ByteBuffer twoAndABit = ByteBuffer.allocate(login.length * 2 + 10);
        twoAndABit.put(login).put(login).put(new byte[10]).flip();
        assertThat(IscsiCodec.decode(twoAndABit, 8192)).map(IscsiPdu::toBytes).contains(login);
        assertThat(IscsiCodec.decode(twoAndABit, 8192)).map(IscsiPdu::toBytes).contains(login);
        assertThat(IscsiCodec.decode(twoAndABit, 8192)).isEmpty();
        assertThat(twoAndABit.remaining()).isEqualTo(10);
    }

    @Test
    void refusesADataSegmentAboveTheLimitBeforeReadingIt() {
        byte[] header = new byte[48];
        header[0] = 0x43;
        header[5] = (byte) 0xff; // 16 MiB announced
        assertThatThrownBy(() -> IscsiCodec.read(new ByteArrayInputStream(header), 8192))
                .isInstanceOf(IscsiProtocolException.class).hasMessageContaining("exceeds the limit of 8192");
        assertThatThrownBy(() -> IscsiCodec.decode(ByteBuffer.wrap(header), 8192))
                .isInstanceOf(IscsiProtocolException.class);
    }

    @Test
    void anEndInsideAPduIsAnErrorAndAnEndBetweenPdusIsNot() throws Exception {
        byte[] login = CapturedPdus.load("libiscsi-tools.pdus").first(IscsiOpcode.LOGIN_REQUEST).bytes();
        assertThat(IscsiCodec.read(new ByteArrayInputStream(new byte[0]), 8192)).isEmpty();
        assertThatThrownBy(() -> IscsiCodec.read(new ByteArrayInputStream(Arrays.copyOf(login, 20)), 8192))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> IscsiCodec.read(new ByteArrayInputStream(Arrays.copyOf(login, 100)), 8192))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void padsTheDataSegmentButCountsOnlyItsBytes() {
        IscsiPdu pdu = NopOut.ping(7, 1, 1, DataSegment.of(new byte[] {1, 2, 3, 4, 5})).toPdu();
        byte[] wire = pdu.toBytes();
        assertThat(wire).hasSize(48 + 8);
        assertThat(pdu.dataSegmentLength()).isEqualTo(5);
        assertThat(Arrays.copyOfRange(wire, 5, 8)).containsExactly(0, 0, 5);
        assertThat(Arrays.copyOfRange(wire, 53, 56)).containsExactly(0, 0, 0);
    }

    @Test
    void anUnknownOpcodeIsAValueNotAnError() throws Exception {
        byte[] header = new byte[48];
        header[0] = 0x1c;
        IscsiPdu pdu = IscsiPdu.of(header, new byte[0], new byte[0]);
        assertThat(pdu.opcode()).isEqualTo(IscsiOpcode.valueOf(0x1c));
        assertThat(pdu.opcode().known()).isFalse();
        assertThat(pdu.opcode().toString()).isEqualTo("unknown(0x1c)");
        assertThat(IscsiMessage.decode(pdu)).isEqualTo(new IscsiMessage.Unsupported(pdu));
    }
}
