package io.fabricipam.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.net.MacAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Test;

/**
 * Mutates the captured messages at random, with a fixed seed so that a failure is reproducible: the decoder
 * must either return a request whose accessors all work, or refuse it with a reason. Any other exception is a
 * bug, and so is any accepted request that a reply cannot be encoded for.
 * <p>
 * {@code -Dfuzz.seed=N} and {@code -Dfuzz.iterations=N} change the run; a failure prints the seed, the iteration
 * and the input in hex.
 */
class DecoderFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 0x5eed_d4c9_2024L);
    private static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 200_000);

    /** Values that sit on boundaries the decoder checks: PAD, END, the codes it reads, signed-byte edges. */
    private static final int[] INTERESTING = {0, 1, 2, 3, 4, 6, 7, 8, 12, 50, 51, 52, 53, 54, 55, 57, 61, 82, 0x7f,
        0x80, 0xfe, 0xff};
    private static final int[] CHECKED_CODES = {50, 51, 52, 53, 54, 55, 57, 61, 82, 12};

    private final DhcpCodec codec = new DhcpCodec();

    @Test
    void decoderAcceptsOrNamesAReasonAndEveryAcceptedRequestCanBeAnswered() {
        List<byte[]> corpus = corpus();
        Random random = new Random(SEED);
        Map<DropReason, Integer> refused = new EnumMap<>(DropReason.class);
        int accepted = 0;

        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = corpus.get(random.nextInt(corpus.size())).clone();
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                input = mutate(random, input, corpus);
            }
            try {
                DhcpRequest request = codec.decode(input);
                exercise(request, input);
                accepted++;
            } catch (MalformedPacketException e) {
                assertThat(e.reason()).as(failure(i, input)).isNotNull();
                refused.merge(e.reason(), 1, Integer::sum);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(failure(i, input), e);
            }
        }

        // the mutator must reach both sides and many distinct checks, or this test proves little
        assertThat(accepted).as("accepted inputs").isGreaterThan(ITERATIONS / 10);
        assertThat(refused.keySet()).as("reasons seen").contains(DropReason.TRUNCATED, DropReason.OVERSIZED,
                DropReason.NOT_BOOTREQUEST, DropReason.UNSUPPORTED_HARDWARE, DropReason.BAD_MAGIC_COOKIE,
                DropReason.OPTION_OVERRUN, DropReason.BAD_OPTION_VALUE, DropReason.MISSING_MESSAGE_TYPE,
                DropReason.UNKNOWN_MESSAGE_TYPE);
    }

    /** Every accessor, every destination rule and two reply encodes; a throw anywhere fails the test. */
    private void exercise(DhcpRequest request, byte[] input) {
        assertThat(request.messageType().isClientToServer()).isTrue();
        assertThat(request.mac()).isEqualTo(MacAddress.of(input, 28));
        request.packet();
        request.xid();
        request.hops();
        request.broadcastFlag();
        request.ciaddr();
        request.giaddr();
        request.isRelayed();
        request.clientIdentifier();
        request.requestedAddress();
        request.serverIdentifier();
        request.hasParameterRequestList();
        request.requestedLeaseTime();
        request.hostname();
        request.relayAgentInformation();
        request.toString();
        request.options().toString();
        byte[] prl = request.options().get(DhcpOptionCode.PARAMETER_REQUEST_LIST);
        assertThat(request.parameterRequestList()).hasSize(prl == null ? 0 : prl.length);
        for (int code : request.options().codes()) {
            assertThat(request.options().get(code)).isNotNull();
        }
        int limit = DhcpCodec.maxPayload(request, 1500);
        assertThat(limit).isBetween(DhcpCodec.DEFAULT_MAX_PAYLOAD, DhcpCodec.MAX_PACKET_LENGTH);
        for (DhcpMessageType type : List.of(DhcpMessageType.OFFER, DhcpMessageType.ACK, DhcpMessageType.NAK)) {
            assertThat(ReplyDestination.forReply(request, type, Replies.yiaddrFor(request))).isNotNull();
        }

        for (DhcpReply reply : List.of(Replies.minimal(request), Replies.typical(request))) {
            byte[] bytes = codec.encode(reply).payload();
            assertThat(bytes.length).isLessThanOrEqualTo(limit);
            DHCPPacket read = DHCPPacket.getPacket(bytes, 0, bytes.length, true);
            assertThat(read.getXid()).isEqualTo(request.xid());
            assertThat(read.getOptionRaw((byte) 61)).isEqualTo(request.clientIdentifier());
            assertThat(read.getOptionRaw((byte) 82)).isEqualTo(request.relayAgentInformation());
        }
    }

    private static List<byte[]> corpus() {
        List<byte[]> corpus = new ArrayList<>();
        for (String name : Fixtures.all()) {
            corpus.add(Fixtures.load(name)); // dnsmasq's replies too: op and type flips turn them into requests
        }
        // shapes no captured client sent: overloaded fields, a relay, a split option
        corpus.add(RequestBytes.of(DhcpMessageType.REQUEST).option(52, 3).option(12, 'a')
                .file(61, 7, 1, 2, 0, 0x5e, 0, 0x53, 1, 255).sname(50, 4, 192, 0, 2, 9, 255).build());
        corpus.add(RequestBytes.of(DhcpMessageType.DISCOVER).giaddr("198.51.100.1").option(55, 1, 3, 6, 15, 119, 121)
                .option(82, 1, 4, 'p', 'o', 'r', 't', 2, 2, 0, 1).build());
        corpus.add(RequestBytes.of(DhcpMessageType.INFORM).ciaddr("192.0.2.7").option(60, 'a', 'b').option(12, 'h')
                .option(60, 'c').option(57, 2, 64).build());
        return corpus;
    }

    private static byte[] mutate(Random random, byte[] in, List<byte[]> corpus) {
        if (in.length == 0) {
            return corpus.get(random.nextInt(corpus.size())).clone();
        }
        return switch (random.nextInt(10)) {
            case 0 -> flipBit(random, in);
            case 1 -> replaceByte(random, in);
            case 2 -> truncate(random, in);
            case 3 -> insert(random, in);
            case 4, 5 -> tamperLength(random, in);
            case 6 -> duplicateOption(random, in);
            case 7 -> recodeOption(random, in);
            case 8 -> tamperHeader(random, in);
            default -> splice(random, in, corpus.get(random.nextInt(corpus.size())));
        };
    }

    private static byte[] flipBit(Random random, byte[] in) {
        int pos = random.nextInt(in.length);
        in[pos] ^= (byte) (1 << random.nextInt(8));
        return in;
    }

    private static byte[] replaceByte(Random random, byte[] in) {
        int pos = optionsBiased(random, in.length);
        in[pos] = (byte) (random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : random.nextInt(256));
        return in;
    }

    private static byte[] truncate(Random random, byte[] in) {
        return Arrays.copyOf(in, random.nextInt(4) == 0 ? random.nextInt(in.length) : optionsBiased(random, in.length));
    }

    private static byte[] insert(Random random, byte[] in) {
        int pos = optionsBiased(random, in.length + 1);
        int count = 1 + random.nextInt(random.nextInt(8) == 0 ? 1400 : 16);
        byte[] out = new byte[in.length + count];
        System.arraycopy(in, 0, out, 0, pos);
        for (int i = 0; i < count; i++) {
            out[pos + i] = (byte) random.nextInt(256);
        }
        System.arraycopy(in, pos, out, pos + count, in.length - pos);
        return out;
    }

    private static byte[] tamperLength(Random random, byte[] in) {
        List<int[]> options = options(in);
        if (options.isEmpty()) {
            return replaceByte(random, in);
        }
        int[] o = options.get(random.nextInt(options.size()));
        int len = switch (random.nextInt(5)) {
            case 0 -> o[2] + 1;
            case 1 -> o[2] - 1;
            case 2 -> 0;
            case 3 -> 255;
            default -> random.nextInt(256);
        };
        in[o[1] + 1] = (byte) len;
        return in;
    }

    private static byte[] duplicateOption(Random random, byte[] in) {
        List<int[]> options = options(in);
        if (options.isEmpty()) {
            return insert(random, in);
        }
        int[] o = options.get(random.nextInt(options.size()));
        int[] at = options.get(random.nextInt(options.size()));
        int size = 2 + o[2];
        int copies = 1 + random.nextInt(random.nextInt(6) == 0 ? 40 : 2);
        byte[] out = new byte[in.length + size * copies];
        System.arraycopy(in, 0, out, 0, at[1]);
        for (int c = 0; c < copies; c++) {
            System.arraycopy(in, o[1], out, at[1] + c * size, size);
        }
        System.arraycopy(in, at[1], out, at[1] + size * copies, in.length - at[1]);
        return out;
    }

    private static byte[] recodeOption(Random random, byte[] in) {
        List<int[]> options = options(in);
        if (options.isEmpty()) {
            return replaceByte(random, in);
        }
        in[options.get(random.nextInt(options.size()))[1]] = (byte) CHECKED_CODES[random.nextInt(CHECKED_CODES.length)];
        return in;
    }

    private static byte[] tamperHeader(Random random, byte[] in) {
        int[] fields = {0, 1, 2, 3, 10, 12, 24, 236, 239}; // op, htype, hlen, hops, flags, ciaddr, giaddr, cookie
        int pos = fields[random.nextInt(fields.length)];
        if (pos < in.length) {
            in[pos] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
        }
        return in;
    }

    private static byte[] splice(Random random, byte[] in, byte[] other) {
        int cut = optionsBiased(random, in.length + 1);
        int from = optionsBiased(random, other.length + 1);
        byte[] out = Arrays.copyOf(in, cut + other.length - from);
        System.arraycopy(other, from, out, cut, other.length - from);
        return out;
    }

    /** A position, three times in four inside the options area (from byte 240) where most checks are. */
    private static int optionsBiased(Random random, int bound) {
        if (bound > 241 && random.nextInt(4) != 0) {
            return 240 + random.nextInt(bound - 240);
        }
        return random.nextInt(bound);
    }

    /** {code, offset, length} of the options a lenient walk finds, stopping at END or anything out of bounds. */
    private static List<int[]> options(byte[] in) {
        List<int[]> out = new ArrayList<>();
        int i = 240;
        while (i + 1 < in.length && (in[i] & 0xff) != 255) {
            if (in[i] == 0) {
                i++;
                continue;
            }
            int len = in[i + 1] & 0xff;
            if (i + 2 + len > in.length) {
                break;
            }
            out.add(new int[] {in[i] & 0xff, i, len});
            i += 2 + len;
        }
        return out;
    }

    private static String failure(int iteration, byte[] input) {
        return "seed " + SEED + ", iteration " + iteration + ", input " + HexFormat.of().formatHex(input);
    }
}
