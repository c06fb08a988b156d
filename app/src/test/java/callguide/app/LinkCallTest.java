package callguide.app;

import static callguide.testkit.TimelineAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callguide.call.CallPeer;
import callguide.call.CallReport;
import callguide.call.Role;
import callguide.kit.ice.IceConfig;
import callguide.kit.ice.IceProfile;
import callguide.kit.net.Link;
import callguide.kit.net.LinkSettings;
import callguide.kit.rtc.Stats;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import callguide.relay.TurnSettings;
import callguide.step06.RelayOnly;
import callguide.testkit.RelayExtension;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real calls (the reference steps, webrtc-java, the relay on an ephemeral port) whose media goes
 * through a kit {@link Link}: what {@code ./workshop run 05 --link ...} shows a learner.
 */
@DisplayName("a call through a link with knobs")
class LinkCallTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger ROOMS = new AtomicInteger();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** A relay whose calls go through a perfect link, as a step's tests would have it. */
    @RegisterExtension
    static final RelayExtension LINKED = RelayExtension.withLink(LinkSettings.perfect());

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private record Call(Link link, CallPeer caller, CallPeer callee) {}

    /** A call whose every candidate the relay routes through a link with {@code settings}; both sides connected. */
    private Call call(String settings) throws Exception {
        Link link = Link.start(LinkSettings.parse(settings));
        toClose.add(link);
        Relay relay =
                Relay.start(RelayConfig.defaults().withPort(0).withStunPort(0).withCandidateRoute(link::route));
        toClose.add(relay);
        return call(relay, link);
    }

    /** A call through {@code relay}, whose candidates go through {@code link}; both sides connected. */
    private Call call(Relay relay, Link link) throws Exception {
        Call call = attempt(relay, link, IceProfile.loopback(relay.stunPort()), WAIT);
        for (CallPeer peer : List.of(call.caller(), call.callee())) {
            assertThat(report(peer).failure())
                    .as(
                            "why the %s did not connect through the link; its timeline:%n%s",
                            peer.timeline().side(), peer.timeline())
                    .isNull();
        }
        return call;
    }

    /** Both sides of a call through {@code relay} and {@code link} with {@code profile}, started, up or not. */
    private Call attempt(Relay relay, Link link, IceProfile profile, Duration timeout) {
        URI uri = URI.create(relay.url());
        String room = "link-" + ROOMS.incrementAndGet();
        CallPeer[] peers = new CallPeer[2];
        for (Role role : Role.values()) {
            CallTimeline timeline = new CallTimeline(role.label());
            link.record(timeline);
            CallPeer peer = new CallPeer(
                    CallPeer.Options.of(role, uri, room, role.label(), profile, FiveSteps.TRICKLE)
                            .withTimeout(timeout),
                    timeline);
            toClose.add(peer);
            peers[role == Role.CALLER ? 0 : 1] = peer;
        }
        reports.put(peers[1], peers[1].start());
        reports.put(peers[0], peers[0].start());
        return new Call(link, peers[0], peers[1]);
    }

    private final java.util.Map<CallPeer, CompletableFuture<CallReport>> reports = new java.util.HashMap<>();

    /** {@code peer}'s report once its call is up or has failed (bounded by the call's own timeout). */
    private CallReport report(CallPeer peer) throws Exception {
        return reports.get(peer).get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    private static Stats.Quality quality(CallPeer peer) throws Exception {
        return Stats.quality(Stats.report(peer.peerConnection()).get(5, TimeUnit.SECONDS));
    }

    @Test
    @Timeout(90)
    @DisplayName("carries every packet between the two peers: each side's selected pair ends at one of its sockets")
    void everyPacketThroughTheLink() throws Exception {
        Call call = call(LINKED.relay(), LINKED.link());
        for (CallPeer peer : List.of(call.caller(), call.callee())) {
            Stats.SelectedPair pair = Stats.selectedPair(
                            Stats.report(peer.peerConnection()).get(5, TimeUnit.SECONDS))
                    .orElseThrow();
            assertThat(pair.remote().port())
                    .as(
                            "the %s's selected pair %s: its remote port, one of the link's %s",
                            peer.timeline().side(), pair, call.link().ports())
                    .isIn(call.link().ports());
        }
        assertThat(call.link().counters().forwarded()).isPositive();
    }

    @Test
    @Timeout(90)
    @DisplayName("a cut stops the frames and ICE goes disconnected; healed, ICE connects again and frames resume")
    void cutAndHeal() throws Exception {
        Call call = call("");
        List<CallPeer> peers = List.of(call.caller(), call.callee());
        call.link().cut();
        for (CallPeer peer : peers) {
            assertThat(peer.timeline().when(EventKind.ICE_CONNECTION_STATE, "DISCONNECTED"))
                    .as(
                            "ICE disconnected at the %s after the cut",
                            peer.timeline().side())
                    .succeedsWithin(Duration.ofSeconds(20));
        }
        long[] frozen = {
            call.caller().remoteVideo().frames(), call.callee().remoteVideo().frames()
        };
        await("no frame while cut")
                .during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> call.caller().remoteVideo().frames() == frozen[0]
                        && call.callee().remoteVideo().frames() == frozen[1]);
        call.link().heal();
        for (CallPeer peer : peers) {
            CallTimeline timeline = peer.timeline();
            await("ICE connected again at the " + timeline.side())
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> timeline.values(EventKind.ICE_CONNECTION_STATE).stream()
                            .dropWhile(s -> !s.equals("DISCONNECTED"))
                            .anyMatch(s -> s.equals("CONNECTED") || s.equals("COMPLETED")));
        }
        await("frames resuming both ways")
                .atMost(Duration.ofSeconds(10))
                .until(() -> call.caller().remoteVideo().frames() > frozen[0] + 30
                        && call.callee().remoteVideo().frames() > frozen[1] + 30);
        assertThat(call.caller().timeline())
                .hasInOrder(
                        EventKind.LINK, "cut: every packet dropped", EventKind.ICE_CONNECTION_STATE, "DISCONNECTED");
        assertThat(call.caller().timeline().values(EventKind.LINK))
                .as("the link's changes on the caller's timeline")
                .hasSize(3)
                .first()
                .isEqualTo("settings perfect");
        assertThat(call.link().counters().droppedByCut()).isPositive();
    }

    @Test
    @Timeout(90)
    @DisplayName("with direct=off a STUN-only call never connects; a relay-only one through coturn does, relay to"
            + " relay")
    void directOff() throws Exception {
        Link link = Link.start(LinkSettings.restrictive());
        toClose.add(link);
        Relay relay = Relay.start(RelayConfig.defaults()
                .withPort(0)
                .withStunPort(0)
                .withTurn(TurnSettings.managed(0))
                .withCandidateRoute(link::route));
        toClose.add(relay);
        assertThat(relay.turnProblem())
                .as("coturn (Debian's coturn package) started by the relay")
                .isEmpty();

        Call direct = attempt(relay, link, IceProfile.loopback(relay.stunPort()), Duration.ofSeconds(8));
        for (CallPeer peer : List.of(direct.caller(), direct.callee())) {
            assertThat(report(peer).failure())
                    .as(
                            "the %s's call with STUN only, every packet direct; its timeline:%n%s",
                            peer.timeline().side(), peer.timeline())
                    .isNotNull();
        }
        assertThat(link.counters().droppedAsDirect())
                .as("ICE checks the link dropped")
                .isPositive();
        assertThat(link.counters().forwarded())
                .as("packets the link let through")
                .isZero();

        IceProfile relayOnly = RelayOnly.profile(IceConfig.fetch(URI.create(relay.url()), Duration.ofSeconds(5)));
        Call relayed = attempt(relay, link, relayOnly, WAIT);
        for (CallPeer peer : List.of(relayed.caller(), relayed.callee())) {
            assertThat(report(peer).failure())
                    .as(
                            "the %s's relay-only call; its timeline:%n%s",
                            peer.timeline().side(), peer.timeline())
                    .isNull();
            Stats.SelectedPair pair = Stats.selectedPair(
                            Stats.report(peer.peerConnection()).get(5, TimeUnit.SECONDS))
                    .orElseThrow();
            assertThat(List.of(pair.local().type(), pair.remote().type()))
                    .as("the %s's selected pair %s", peer.timeline().side(), pair)
                    .containsExactly("relay", "relay");
        }
    }

    @Test
    @Timeout(90)
    @DisplayName("with loss=20% the receivers' stats count packets lost, about a fifth of them")
    void loss() throws Exception {
        Call call = call("loss=20%");
        for (CallPeer peer : List.of(call.caller(), call.callee())) {
            await("packets received and lost at the " + peer.timeline().side())
                    .atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> {
                        Stats.Quality q = quality(peer);
                        assertThat(q.packetsReceived() + q.packetsLost())
                                .as("packets sent to it so far")
                                .isGreaterThan(300);
                        assertThat((double) q.packetsLost() / (q.packetsReceived() + q.packetsLost()))
                                .as("share lost, by stats: %s", q)
                                .isBetween(0.08, 0.35);
                    });
        }
        assertThat(call.link().counters().lostAtRandom()).isPositive();
    }

    @Test
    @Timeout(90)
    @DisplayName("with a bandwidth cap the call connects and what waits in the link stays within the cap's queue")
    void boundedUnderACap() throws Exception {
        Call call = call("rate=300kbps");
        long frames = call.caller().remoteVideo().frames();
        await("frames under the cap")
                .atMost(Duration.ofSeconds(10))
                .until(() -> call.caller().remoteVideo().frames() > frames + 30);
        long queueLimitBytes = 300_000 / 8 * Link.QUEUE_LIMIT.toMillis() / 1000;
        assertThat(call.link().counters().peakQueuedBytes())
                .as("bytes waiting in the link at most (the cap's queue limit: %d bytes each way)", queueLimitBytes)
                .isLessThanOrEqualTo(2 * queueLimitBytes + 2 * 1500);
    }
}
