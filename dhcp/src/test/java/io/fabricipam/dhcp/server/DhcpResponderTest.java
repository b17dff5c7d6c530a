package io.fabricipam.dhcp.server;

import static io.fabricipam.dhcp.codec.DhcpOptionCode.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabricipam.dhcp.codec.DhcpMessageType;
import io.fabricipam.dhcp.codec.DhcpReply;
import io.fabricipam.dhcp.codec.DropReason;
import io.fabricipam.dhcp.codec.ReplyDestination;
import io.fabricipam.dhcp.lease.Lease;
import io.fabricipam.dhcp.lease.LeaseEventType;
import io.fabricipam.dhcp.lease.LeaseState;
import io.fabricipam.dhcp.net.AddressRange;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.Ipv4Network;
import io.fabricipam.dhcp.net.MacAddress;
import io.fabricipam.dhcp.scope.Reservation;
import io.fabricipam.dhcp.scope.Scope;
import io.fabricipam.dhcp.scope.ScopeOptions;
import io.fabricipam.dhcp.store.LeaseChange;
import io.fabricipam.dhcp.testing.ClientPacket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The server rows of RFC 2131 §4.3 and Tables 3 and 4, one test per behaviour. */
class DhcpResponderTest {

    static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.2");
    static final UUID SCOPE_ID = UUID.fromString("00000000-0000-0000-0000-000000000001");

    ScopeState state;
    DhcpResponder responder = new DhcpResponder(new ResponderSettings(Duration.ofSeconds(30), Duration.ofHours(24)));
    Instant now = Instant.parse("2026-11-21T10:00:00Z");

    static Scope scope(String poolStart, String poolEnd) {
        return new Scope(SCOPE_ID, "test", Ipv4Network.parse("10.0.0.0/24"), Ipv4Address.parse("10.0.0.1"), 0,
                List.of(AddressRange.of(poolStart, poolEnd)), List.of(AddressRange.of("10.0.0.150", "10.0.0.159")),
                3600, null, null,
                new ScopeOptions(List.of(Ipv4Address.parse("10.0.0.53")), "lab.example", List.of("lab.example"),
                        null, 1450, null, null, null, null),
                null, null, 1);
    }

    @BeforeEach
    void setUp() {
        state = new ScopeState(scope("10.0.0.100", "10.0.0.199"), List.of(), List.of(), now);
    }

    Decision run(ClientPacket packet) {
        Decision d = responder.respond(packet.decoded(), state, SERVER, "test:eth0", now);
        state.apply(d.changes());
        return d;
    }

    /** DISCOVER, then REQUEST of what was offered; returns the bound address. */
    Ipv4Address bind(String mac) {
        Decision offer = run(ClientPacket.discover().mac(mac));
        String yiaddr = offer.reply().yiaddr().toString();
        Decision ack = run(ClientPacket.request().mac(mac).serverId(SERVER.toString()).requested(yiaddr));
        assertThat(ack.reply().messageType()).isEqualTo(DhcpMessageType.ACK);
        return ack.reply().yiaddr();
    }

    static Ipv4Address ip(String s) {
        return Ipv4Address.parse(s);
    }

    @Nested
    class Discover {

        @Test
        void offersAnAddressFromThePoolWithTheMandatoryOptions() {
            Decision d = run(ClientPacket.discover().mac("02:00:00:00:00:01"));
            DhcpReply offer = d.reply();
            assertThat(offer.messageType()).isEqualTo(DhcpMessageType.OFFER);
            assertThat(scope("10.0.0.100", "10.0.0.199").inPool(offer.yiaddr())).isTrue();
            assertThat(offer.option(SERVER_IDENTIFIER)).isEqualTo(SERVER.toBytes());
            assertThat(offer.option(LEASE_TIME)).isEqualTo(new byte[] {0, 0, 0x0e, 0x10});
            assertThat(offer.option(RENEWAL_TIME)).isEqualTo(new byte[] {0, 0, 0x07, 0x08});
            assertThat(offer.option(REBINDING_TIME)).isEqualTo(new byte[] {0, 0, 0x0c, 0x4e});
            assertThat(offer.option(SUBNET_MASK)).isEqualTo(ip("255.255.255.0").toBytes());
            assertThat(offer.option(ROUTER)).isEqualTo(ip("10.0.0.1").toBytes());
            assertThat(offer.option(BROADCAST_ADDRESS)).isEqualTo(ip("10.0.0.255").toBytes());
            assertThat(state.leaseAt(offer.yiaddr()).state()).isEqualTo(LeaseState.OFFERED);
            assertThat(d.changes()).allMatch(c -> !c.durable()); // offers are not written before replying
        }

        @Test
        void offersTheSameAddressToTheSameClientTwice() {
            Ipv4Address first = run(ClientPacket.discover().mac("02:00:00:00:00:01")).reply().yiaddr();
            Ipv4Address second = run(ClientPacket.discover().mac("02:00:00:00:00:01").xid(7)).reply().yiaddr();
            assertThat(second).isEqualTo(first);
        }

        @Test
        void neverOffersTheSameAddressToTwoClients() {
            Set<Ipv4Address> seen = new HashSet<>();
            for (int i = 1; i <= 90; i++) {
                Decision d = run(ClientPacket.discover().mac(String.format("02:00:00:00:01:%02x", i)));
                assertThat(seen.add(d.reply().yiaddr())).as("address %s offered twice", d.reply().yiaddr()).isTrue();
            }
        }

        @Test
        void skipsExclusionsGatewayAndServerAddress() {
            state = new ScopeState(scope("10.0.0.1", "10.0.0.254"), List.of(), List.of(), now);
            for (int i = 1; i <= 242; i++) {
                Ipv4Address a = run(ClientPacket.discover().mac(String.format("02:00:00:00:02:%02x", i))).reply().yiaddr();
                assertThat(a).isNotEqualTo(ip("10.0.0.1"));
                assertThat(AddressRange.of("10.0.0.150", "10.0.0.159").contains(a)).as(a.toString()).isFalse();
            }
        }

        @Test
        void givesAReturningClientItsPreviousAddressWhenStillFree() {
            Ipv4Address a = bind("02:00:00:00:00:01");
            run(ClientPacket.release().mac("02:00:00:00:00:01").ciaddr(a.toString()).serverId(SERVER.toString()));
            run(ClientPacket.discover().mac("02:00:00:00:00:02")); // someone else comes and goes meanwhile
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:01")).reply().yiaddr()).isEqualTo(a);
        }

        @Test
        void honoursTheRequestedAddressOnlyWhenItIsFreeAndInAPool() {
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:01").requested("10.0.0.177")).reply().yiaddr())
                    .isEqualTo(ip("10.0.0.177"));
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:02").requested("10.0.0.177")).reply().yiaddr())
                    .isNotEqualTo(ip("10.0.0.177"));
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:03").requested("10.0.0.20")).reply().yiaddr())
                    .isNotEqualTo(ip("10.0.0.20")); // outside the pools
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:04").requested("10.0.0.155")).reply().yiaddr())
                    .isNotEqualTo(ip("10.0.0.155")); // excluded
        }

        @Test
        void offersReservationsInsideAndOutsideThePools() {
            state.putReservation(new Reservation(SCOPE_ID, MacAddress.parse("02:00:00:00:00:0a"), ip("10.0.0.10"), "vm10"));
            state.putReservation(new Reservation(SCOPE_ID, MacAddress.parse("02:00:00:00:00:0b"), ip("10.0.0.120"), null));
            DhcpReply outside = run(ClientPacket.discover().mac("02:00:00:00:00:0a").parameters(1, 3, 12)).reply();
            assertThat(outside.yiaddr()).isEqualTo(ip("10.0.0.10"));
            assertThat(new String(outside.option(HOSTNAME))).isEqualTo("vm10");
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:0b")).reply().yiaddr()).isEqualTo(ip("10.0.0.120"));
        }

        @Test
        void neverOffersAReservedAddressToAnotherClient() {
            state.putReservation(new Reservation(SCOPE_ID, MacAddress.parse("02:00:00:00:00:0b"), ip("10.0.0.100"), null));
            DhcpReply offer = run(ClientPacket.discover().mac("02:00:00:00:00:01").requested("10.0.0.100")).reply();
            assertThat(offer.yiaddr()).isNotEqualTo(ip("10.0.0.100"));
        }

        @Test
        void staysSilentWhenThePoolIsExhausted() {
            state = new ScopeState(scope("10.0.0.100", "10.0.0.101"), List.of(), List.of(), now);
            run(ClientPacket.discover().mac("02:00:00:00:00:01"));
            run(ClientPacket.discover().mac("02:00:00:00:00:02"));
            Decision d = run(ClientPacket.discover().mac("02:00:00:00:00:03"));
            assertThat(d.reply()).isNull();
            assertThat(d.silence()).isEqualTo(DropReason.POOL_EXHAUSTED);
        }

        @Test
        void returnsAnOfferNotTakenToThePoolAfterTheHold() {
            state = new ScopeState(scope("10.0.0.100", "10.0.0.100"), List.of(), List.of(), now);
            run(ClientPacket.discover().mac("02:00:00:00:00:01"));
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:02")).silence()).isEqualTo(DropReason.POOL_EXHAUSTED);
            now = now.plusSeconds(32);
            List<LeaseChange> swept = state.sweep(now);
            assertThat(swept).hasSize(1).allMatch(c -> !c.durable());
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:02")).reply().yiaddr()).isEqualTo(ip("10.0.0.100"));
        }

        @Test
        void repliesToARelayOnTheServerPortAndBroadcastsWhenAsked() {
            DhcpReply viaRelay = run(ClientPacket.discover().mac("02:00:00:00:00:01").giaddr("10.0.0.1")).reply();
            assertThat(viaRelay.destination()).isEqualTo(ReplyDestination.relay(ip("10.0.0.1")));
            DhcpReply broadcast = run(ClientPacket.discover().mac("02:00:00:00:00:02").broadcast()).reply();
            assertThat(broadcast.destination().kind()).isEqualTo(ReplyDestination.Kind.BROADCAST);
            DhcpReply unicast = run(ClientPacket.discover().mac("02:00:00:00:00:03")).reply();
            assertThat(unicast.destination()).isEqualTo(
                    ReplyDestination.offeredAddress(unicast.yiaddr(), MacAddress.parse("02:00:00:00:00:03")));
        }

        @Test
        void putsOptionsInTheOrderOfTheParameterRequestList() {
            DhcpReply offer = run(ClientPacket.discover().mac("02:00:00:00:00:01").parameters(119, 6, 26, 1, 3, 15)).reply();
            List<Integer> codes = offer.options().stream().map(DhcpReply.Option::code).toList();
            assertThat(codes.subList(0, 5)).containsExactly(MESSAGE_TYPE, SERVER_IDENTIFIER, LEASE_TIME, RENEWAL_TIME,
                    REBINDING_TIME);
            assertThat(codes.subList(5, 11)).containsExactly(119, 6, 26, 1, 3, 15);
        }

        @Test
        void echoesTheClientIdentifier() {
            byte[] id = {1, 2, 0, 0, 0, 0, 1};
            assertThat(run(ClientPacket.discover().clientId(id)).reply().option(CLIENT_IDENTIFIER)).isEqualTo(id);
        }
    }

    @Nested
    class RequestSelecting {

        @Test
        void acknowledgesTheOfferedAddressAndMakesItDurable() {
            Ipv4Address offered = run(ClientPacket.discover().mac("02:00:00:00:00:01")).reply().yiaddr();
            Decision d = run(ClientPacket.request().mac("02:00:00:00:00:01").serverId("10.0.0.2").requested(offered.toString())
                    .hostname("vm-one"));
            assertThat(d.reply().messageType()).isEqualTo(DhcpMessageType.ACK);
            assertThat(d.reply().yiaddr()).isEqualTo(offered);
            assertThat(d.needsCommitBeforeReply()).isTrue();
            LeaseChange change = d.changes().get(d.changes().size() - 1);
            assertThat(change.event().type()).isEqualTo(LeaseEventType.BOUND);
            Lease lease = state.leaseAt(offered);
            assertThat(lease.state()).isEqualTo(LeaseState.BOUND);
            assertThat(lease.hostname()).isEqualTo("vm-one");
            assertThat(lease.expiresAt()).isEqualTo(now.plusSeconds(3600));
            assertThat(lease.seenOn()).isEqualTo("test:eth0");
        }

        @Test
        void isSilentWhenTheClientChoseAnotherServerAndFreesTheOffer() {
            state = new ScopeState(scope("10.0.0.100", "10.0.0.100"), List.of(), List.of(), now);
            Ipv4Address offered = run(ClientPacket.discover().mac("02:00:00:00:00:01")).reply().yiaddr();
            Decision d = run(ClientPacket.request().mac("02:00:00:00:00:01").serverId("10.0.0.3").requested(offered.toString()));
            assertThat(d.reply()).isNull();
            assertThat(d.silence()).isEqualTo(DropReason.OTHER_SERVER_SELECTED);
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:02")).reply().yiaddr()).isEqualTo(offered);
        }

        @Test
        void naksAnAddressSomeoneElseHolds() {
            Ipv4Address taken = bind("02:00:00:00:00:01");
            Decision d = run(ClientPacket.request().mac("02:00:00:00:00:02").serverId("10.0.0.2").requested(taken.toString()));
            assertThat(d.reply().messageType()).isEqualTo(DhcpMessageType.NAK);
            assertThat(d.reply().yiaddr()).isNull();
            assertThat(d.reply().destination().kind()).isEqualTo(ReplyDestination.Kind.BROADCAST);
            assertThat(state.leaseAt(taken).mac()).isEqualTo(MacAddress.parse("02:00:00:00:00:01"));
        }

        @Test
        void naksThroughTheRelayWhenRelayed() {
            Decision d = run(ClientPacket.request().mac("02:00:00:00:00:02").serverId("10.0.0.2").requested("10.9.9.9")
                    .giaddr("10.0.0.1"));
            assertThat(d.reply().messageType()).isEqualTo(DhcpMessageType.NAK);
            assertThat(d.reply().destination()).isEqualTo(ReplyDestination.relay(ip("10.0.0.1")));
        }
    }

    @Nested
    class RequestInitReboot {

        @Test
        void naksAnAddressOnTheWrongNetwork() {
            Decision d = run(ClientPacket.request().mac("02:00:00:00:00:01").requested("192.168.7.20"));
            assertThat(d.reply().messageType()).isEqualTo(DhcpMessageType.NAK);
        }

        @Test
        void isSilentForAClientItHasNoRecordOf() {
            Decision d = run(ClientPacket.request().mac("02:00:00:00:00:01").requested("10.0.0.120"));
            assertThat(d.reply()).isNull();
            assertThat(d.silence()).isEqualTo(DropReason.UNKNOWN_CLIENT);
        }

        @Test
        void acknowledgesAKnownClientsOwnAddress() {
            Ipv4Address a = bind("02:00:00:00:00:01");
            now = now.plusSeconds(600);
            Decision d = run(ClientPacket.request().mac("02:00:00:00:00:01").requested(a.toString()));
            assertThat(d.reply().messageType()).isEqualTo(DhcpMessageType.ACK);
            assertThat(d.changes().get(0).event().type()).isEqualTo(LeaseEventType.RENEWED);
            assertThat(state.leaseAt(a).expiresAt()).isEqualTo(now.plusSeconds(3600));
        }

        @Test
        void naksAKnownClientAskingForAnotherAddress() {
            Ipv4Address a = bind("02:00:00:00:00:01");
            String other = a.plus(1).toString();
            Decision d = run(ClientPacket.request().mac("02:00:00:00:00:01").requested(other));
            assertThat(d.reply().messageType()).isEqualTo(DhcpMessageType.NAK);
            assertThat(state.leaseAt(a).state()).isEqualTo(LeaseState.BOUND);
        }
    }

    @Nested
    class RequestRenewingAndRebinding {

        @Test
        void renewingExtendsTheLeaseAndAnswersByUnicastWithCiaddrEchoed() {
            Ipv4Address a = bind("02:00:00:00:00:01");
            now = now.plusSeconds(1800);
            Decision d = run(ClientPacket.request().mac("02:00:00:00:00:01").ciaddr(a.toString()));
            assertThat(d.reply().messageType()).isEqualTo(DhcpMessageType.ACK);
            assertThat(d.reply().destination()).isEqualTo(ReplyDestination.clientAddress(a, MacAddress.parse("02:00:00:00:00:01")));
            assertThat(state.leaseAt(a).expiresAt()).isEqualTo(now.plusSeconds(3600));
            assertThat(state.leaseAt(a).startedAt()).isEqualTo(now.minusSeconds(1800));
            assertThat(d.changes().get(0).event().type()).isEqualTo(LeaseEventType.RENEWED);
        }

        @Test
        void rebindingIsAnsweredLikeRenewing() {
            Ipv4Address a = bind("02:00:00:00:00:01");
            now = now.plusSeconds(3200);
            Decision d = run(ClientPacket.request().mac("02:00:00:00:00:01").ciaddr(a.toString()).broadcast());
            assertThat(d.reply().messageType()).isEqualTo(DhcpMessageType.ACK);
        }

        @Test
        void naksAnAddressHeldBySomeoneElse() {
            Ipv4Address a = bind("02:00:00:00:00:01");
            Decision d = run(ClientPacket.request().mac("02:00:00:00:00:02").ciaddr(a.toString()));
            assertThat(d.reply().messageType()).isEqualTo(DhcpMessageType.NAK);
        }

        @Test
        void naksAnAddressOffTheNetwork() {
            Decision d = run(ClientPacket.request().mac("02:00:00:00:00:02").ciaddr("172.16.0.9"));
            assertThat(d.reply().messageType()).isEqualTo(DhcpMessageType.NAK);
        }

        @Test
        void recoversTheBindingOfAClientItLostTrackOf() {
            Decision d = run(ClientPacket.request().mac("02:00:00:00:00:02").ciaddr("10.0.0.130"));
            assertThat(d.reply().messageType()).isEqualTo(DhcpMessageType.ACK);
            assertThat(state.leaseAt(ip("10.0.0.130")).state()).isEqualTo(LeaseState.BOUND);
        }

        @Test
        void naksAClientWhoseReservationMovedIt() {
            Ipv4Address a = bind("02:00:00:00:00:01");
            state.putReservation(new Reservation(SCOPE_ID, MacAddress.parse("02:00:00:00:00:01"), ip("10.0.0.30"), null));
            assertThat(run(ClientPacket.request().mac("02:00:00:00:00:01").ciaddr(a.toString())).reply().messageType())
                    .isEqualTo(DhcpMessageType.NAK);
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:01")).reply().yiaddr()).isEqualTo(ip("10.0.0.30"));
            Decision ack = run(ClientPacket.request().mac("02:00:00:00:00:01").serverId("10.0.0.2").requested("10.0.0.30"));
            assertThat(ack.reply().messageType()).isEqualTo(DhcpMessageType.ACK);
            assertThat(state.leaseAt(a).state()).isEqualTo(LeaseState.RELEASED); // the old binding ends with the move
        }
    }

    @Nested
    class DeclineReleaseInform {

        @Test
        void declinePutsTheAddressOnProbationAndItIsNotOfferedMeanwhile() {
            state = new ScopeState(scope("10.0.0.100", "10.0.0.101"), List.of(), List.of(), now);
            Ipv4Address a = bind("02:00:00:00:00:01");
            Decision d = run(ClientPacket.decline().mac("02:00:00:00:00:01").serverId("10.0.0.2").requested(a.toString()));
            assertThat(d.reply()).isNull();
            assertThat(d.silence()).isNull();
            assertThat(d.changes()).singleElement().satisfies(c -> {
                assertThat(c.durable()).isTrue();
                assertThat(c.after().state()).isEqualTo(LeaseState.DECLINED);
                assertThat(c.after().expiresAt()).isEqualTo(now.plus(Duration.ofHours(24)));
            });
            // the client tries again and gets the other address; nobody gets the declined one
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:01")).reply().yiaddr()).isNotEqualTo(a);
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:02")).silence()).isEqualTo(DropReason.POOL_EXHAUSTED);
            now = now.plus(Duration.ofHours(24)).plusSeconds(2);
            assertThat(state.sweep(now)).anyMatch(c -> c.durable() && c.event().type() == LeaseEventType.RECLAIMED);
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:03")).reply().yiaddr()).isEqualTo(a);
        }

        @Test
        void declineOfAnAddressTheClientDoesNotHoldIsIgnored() {
            Ipv4Address a = bind("02:00:00:00:00:01");
            Decision d = run(ClientPacket.decline().mac("02:00:00:00:00:02").requested(a.toString()));
            assertThat(d.silence()).isEqualTo(DropReason.NOT_OUR_LEASE);
            assertThat(state.leaseAt(a).state()).isEqualTo(LeaseState.BOUND);
        }

        @Test
        void releaseFreesTheAddressDurably() {
            state = new ScopeState(scope("10.0.0.100", "10.0.0.100"), List.of(), List.of(), now);
            Ipv4Address a = bind("02:00:00:00:00:01");
            Decision d = run(ClientPacket.release().mac("02:00:00:00:00:01").ciaddr(a.toString()).serverId("10.0.0.2"));
            assertThat(d.reply()).isNull();
            assertThat(d.changes()).singleElement().satisfies(c -> {
                assertThat(c.durable()).isTrue();
                assertThat(c.event().type()).isEqualTo(LeaseEventType.RELEASED);
            });
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:02")).reply().yiaddr()).isEqualTo(a);
        }

        @Test
        void releaseFromAnotherClientIsIgnored() {
            Ipv4Address a = bind("02:00:00:00:00:01");
            assertThat(run(ClientPacket.release().mac("02:00:00:00:00:02").ciaddr(a.toString())).silence())
                    .isEqualTo(DropReason.NOT_OUR_LEASE);
            assertThat(state.leaseAt(a).state()).isEqualTo(LeaseState.BOUND);
        }

        @Test
        void informGetsConfigurationWithoutAddressOrLeaseTime() {
            Decision d = run(ClientPacket.inform().mac("02:00:00:00:00:09").ciaddr("10.0.0.40").parameters(1, 3, 6, 15));
            DhcpReply ack = d.reply();
            assertThat(ack.messageType()).isEqualTo(DhcpMessageType.ACK);
            assertThat(ack.yiaddr()).isNull();
            assertThat(ack.option(LEASE_TIME)).isNull();
            assertThat(ack.option(RENEWAL_TIME)).isNull();
            assertThat(ack.option(REBINDING_TIME)).isNull();
            assertThat(ack.option(DNS_SERVERS)).isEqualTo(ip("10.0.0.53").toBytes());
            assertThat(ack.destination()).isEqualTo(ReplyDestination.clientAddress(ip("10.0.0.40"), MacAddress.parse("02:00:00:00:00:09")));
            assertThat(d.changes()).isEmpty();
        }
    }

    @Nested
    class Identity {

        @Test
        void clientIdentifierTakesPrecedenceOverChaddr() {
            Decision a = run(ClientPacket.discover().mac("02:00:00:00:00:01").clientId((byte) 0, (byte) 'a'));
            Decision b = run(ClientPacket.discover().mac("02:00:00:00:00:01").clientId((byte) 0, (byte) 'b'));
            assertThat(a.reply().yiaddr()).isNotEqualTo(b.reply().yiaddr());
            Decision moved = run(ClientPacket.discover().mac("02:00:00:00:00:77").clientId((byte) 0, (byte) 'a'));
            assertThat(moved.reply().yiaddr()).isEqualTo(a.reply().yiaddr());
        }

        @Test
        void expiredBindingsReturnToThePoolDurably() {
            state = new ScopeState(scope("10.0.0.100", "10.0.0.100"), List.of(), List.of(), now);
            Ipv4Address a = bind("02:00:00:00:00:01");
            now = now.plusSeconds(3601 + 1);
            List<LeaseChange> swept = state.sweep(now);
            assertThat(swept).singleElement().satisfies(c -> {
                assertThat(c.durable()).isTrue();
                assertThat(c.event().type()).isEqualTo(LeaseEventType.EXPIRED);
            });
            assertThat(run(ClientPacket.discover().mac("02:00:00:00:00:02")).reply().yiaddr()).isEqualTo(a);
        }
    }
}
