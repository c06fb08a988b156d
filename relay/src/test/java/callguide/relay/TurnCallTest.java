package callguide.relay;

import static callguide.relay.TurnTesting.config;
import static callguide.relay.TurnTesting.entry;
import static callguide.relay.TurnTesting.managedOnFreePort;
import static callguide.relay.TurnTesting.relayWithCoturn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callguide.kit.ice.IceProfile;
import callguide.kit.ice.IceServer;
import callguide.kit.ice.IceServers;
import callguide.kit.rtc.Descriptions;
import callguide.kit.rtc.EventLoop;
import callguide.kit.rtc.InMemorySignalling;
import callguide.kit.rtc.Stats;
import callguide.kit.rtc.WebRtcRuntime;
import callguide.kit.signal.CandidateMessage;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import com.fasterxml.jackson.databind.JsonNode;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Real webrtc-java peers in one JVM, relayed by the relay's own coturn on 127.0.0.1 with exactly
 * the credentials {@code GET /config} hands out. Adapter enumeration is off (the loopback recipe),
 * so every socket binds the wildcard address and every packet to coturn goes 127.0.0.1 to 127.0.0.1.
 */
@DisplayName("A call through the relay's coturn")
class TurnCallTest {

    private static final Duration UP = Duration.ofSeconds(10);

    @Test
    @DisplayName("connects relay-only with the credentials from /config, and its selected pair is relay on both ends")
    void relayOnlyCall() throws Exception {
        try (Relay relay = relayWithCoturn(managedOnFreePort().withRelayOnly(true))) {
            JsonNode config = config(relay);
            assertThat(config.path("iceTransportPolicy").asText())
                    .as("the policy /config asks for")
                    .isEqualTo("relay");
            List<IceServer> servers = TurnTest.iceServers(config);
            try (Peer caller = new Peer("caller", servers, true);
                    Peer callee = new Peer("callee", servers, false)) {
                InMemorySignalling signalling = new InMemorySignalling(caller.link, callee.link);
                long t0 = System.nanoTime();
                CompletableFuture<Void> bothUp = CompletableFuture.allOf(
                        caller.timeline.when(EventKind.CONNECTION_STATE, "CONNECTED"),
                        callee.timeline.when(EventKind.CONNECTION_STATE, "CONNECTED"));
                assertThat(signalling.negotiate())
                        .as("offer and answer set on both sides")
                        .succeedsWithin(UP);
                for (Peer peer : List.of(caller, callee)) {
                    assertThat(peer.timeline.when(EventKind.CONNECTION_STATE, "CONNECTED"))
                            .as(
                                    "%s's connection state reaches CONNECTED through coturn; timeline:%n%s",
                                    peer.name, peer.timeline)
                            .succeedsWithin(UP);
                }
                bothUp.join();
                System.out.printf(
                        "relay-only call through coturn: both CONNECTED %d ms after createOffer%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

                for (Peer peer : List.of(caller, callee)) {
                    Stats.SelectedPair pair = await("a selected candidate pair on " + peer.name)
                            .atMost(UP)
                            .pollInterval(Duration.ofMillis(50))
                            .until(
                                    () -> Stats.selectedPair(
                                            Stats.report(peer.pc).get(5, TimeUnit.SECONDS)),
                                    Optional::isPresent)
                            .orElseThrow();
                    assertThat(pair.local().type())
                            .as("%s's selected pair %s: the local end", peer.name, pair)
                            .isEqualTo("relay");
                    assertThat(pair.local().address())
                            .as("%s's selected pair %s: the local end's address", peer.name, pair)
                            .isEqualTo("127.0.0.1");
                    assertThat(pair.remote().type())
                            .as("%s's selected pair %s: the remote end", peer.name, pair)
                            .isEqualTo("relay");
                    assertThat(peer.timeline.values(EventKind.LOCAL_CANDIDATE))
                            .as("%s's gathered candidates, relay only", peer.name)
                            .allSatisfy(line -> assertThat(line)
                                    .as("a candidate gathered under the relay policy")
                                    .contains(" typ relay"));
                    assertThat(peer.loop.failures())
                            .as("errors raised on %s's loop", peer.name)
                            .isEmpty();
                }
                assertThat(caller.timeline.values(EventKind.LOCAL_CANDIDATE))
                        .as("the caller's relay candidates")
                        .allSatisfy(line -> assertThat(new CandidateMessage(line, "0", 0, null).address())
                                .as("the relayed address of %s", line)
                                .isEqualTo("127.0.0.1"));
            }
        }
    }

    @Test
    @DisplayName("a credential whose expiry has passed is refused by coturn: no relay candidate, a 401 error, while "
            + "/config's own gathers one")
    void expiredCredentialRefused() throws Exception {
        try (Relay relay = relayWithCoturn(managedOnFreePort())) {
            JsonNode config = config(relay);
            List<String> turnUrls = new ArrayList<>();
            entry(config, "turn:").path("urls").forEach(url -> turnUrls.add(url.asText()));
            String expiredUser = Instant.now().minusSeconds(60).getEpochSecond() + ":callguide-expired";
            IceServer expired = new IceServer(
                    turnUrls,
                    expiredUser,
                    TurnCredentials.sign(relay.coturn().orElseThrow().secret(), expiredUser));

            try (Peer fresh = new Peer("fresh", TurnTest.iceServers(config), true);
                    Peer stale = new Peer("stale", List.of(expired), true)) {
                fresh.gather();
                stale.gather();
                for (Peer peer : List.of(fresh, stale)) {
                    assertThat(peer.timeline.when(EventKind.ICE_GATHERING_STATE, "COMPLETE"))
                            .as("%s's gathering completes; timeline:%n%s", peer.name, peer.timeline)
                            .succeedsWithin(UP);
                }
                assertThat(fresh.timeline.values(EventKind.LOCAL_CANDIDATE))
                        .as("relay candidates with /config's credentials")
                        .anySatisfy(line -> assertThat(line).contains(" typ relay"));
                assertThat(stale.timeline.values(EventKind.LOCAL_CANDIDATE))
                        .as(
                                "candidates gathered with a username that expired a minute ago; timeline:%n%s",
                                stale.timeline)
                        .isEmpty();
                assertThat(stale.timeline.values(EventKind.CANDIDATE_ERROR))
                        .as("icecandidateerror events with the expired credential; timeline:%n%s", stale.timeline)
                        .isNotEmpty()
                        .allSatisfy(error ->
                                assertThat(error).as("an error from coturn").startsWith("401"));
            }
        }
    }

    /**
     * One side: its loop, timeline and connection; the offerer opens a data channel so there is something to connect.
     */
    private static final class Peer implements PeerConnectionObserver, AutoCloseable {
        final String name;
        final EventLoop loop;
        final CallTimeline timeline;
        final RTCPeerConnection pc;
        final InMemorySignalling.Side link;
        private RTCDataChannel channel;

        Peer(String name, List<IceServer> servers, boolean offerer) throws Exception {
            this.name = name;
            this.loop = new EventLoop(name);
            this.timeline = new CallTimeline(name);
            // The loopback recipe (adapter enumeration off, only 127.0.0.1 candidates signalled): relay ones are
            // 127.0.0.1.
            IceProfile profile = new IceProfile(servers, true);
            RTCConfiguration configuration = new RTCConfiguration();
            configuration.iceServers = new ArrayList<>(IceServers.toRtc(servers));
            configuration.iceTransportPolicy = RTCIceTransportPolicy.RELAY;
            profile.applyTo(configuration);
            var factory = WebRtcRuntime.factory();
            this.pc = loop.submit(() -> factory.createPeerConnection(configuration, loop.observer(this)))
                    .get(5, TimeUnit.SECONDS);
            assertThat(pc).as("%s's peer connection", name).isNotNull();
            this.link = new InMemorySignalling.Side(pc, loop, profile);
            if (offerer) {
                loop.run(() -> channel = pc.createDataChannel("turn-test", new RTCDataChannelInit()))
                        .get(5, TimeUnit.SECONDS);
            }
        }

        /** Offer and set it locally: gathering starts, with no one to call. */
        void gather() {
            assertThat(Descriptions.createOffer(pc, new RTCOfferOptions(), loop)
                            .thenCompose(offer -> Descriptions.setLocal(pc, offer, loop)))
                    .as("%s's offer set locally", name)
                    .succeedsWithin(UP);
        }

        // Every callback below runs on this peer's loop.

        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            timeline.record(EventKind.LOCAL_CANDIDATE, candidate.sdp);
            link.localCandidate(candidate);
        }

        @Override
        public void onIceCandidateError(RTCPeerConnectionIceErrorEvent event) {
            timeline.record(
                    EventKind.CANDIDATE_ERROR,
                    event.getErrorCode() + " " + event.getErrorText() + " " + event.getUrl());
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            timeline.record(EventKind.CONNECTION_STATE, state);
        }

        @Override
        public void onIceConnectionChange(RTCIceConnectionState state) {
            timeline.record(EventKind.ICE_CONNECTION_STATE, state);
        }

        @Override
        public void onIceGatheringChange(RTCIceGatheringState state) {
            timeline.record(EventKind.ICE_GATHERING_STATE, state);
        }

        @Override
        public void close() throws Exception {
            try {
                loop.run(() -> {
                            if (channel != null) {
                                channel.close();
                            }
                            pc.close();
                        })
                        .get(5, TimeUnit.SECONDS);
            } finally {
                loop.close();
            }
        }
    }
}
