package callguide.step06;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.call.CallPeer;
import callguide.call.CallReport;
import callguide.call.Resilience;
import callguide.call.Role;
import callguide.call.Trickle;
import callguide.kit.ice.IceProfile;
import callguide.kit.rtc.EventLoop;
import callguide.kit.rtc.WebRtcRuntime;
import callguide.kit.signal.RelayClient;
import callguide.step05.CandidateQueue;
import callguide.step05.TrickleIce;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A whole call through the real relay, built from steps 01 to 05 and what this step's test hands in
 * ({@link Resilience}): both sides started, both reports in, both up. Closed caller first.
 */
final class TwoPeers implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(15);

    private static final AtomicInteger ROOMS = new AtomicInteger();
    /** step05's classes, as the whole call uses them. */
    private static final Trickle STEP05 = new Trickle(
            (channel, profile, timeline) -> new TrickleIce(channel, profile, timeline)::onLocalCandidate,
            (peerConnection, timeline) -> {
                CandidateQueue queue = new CandidateQueue(peerConnection, timeline);
                return new Trickle.RemoteCandidates(queue::handleRemoteCandidate, queue::processCandidates);
            },
            TrickleIce::isCallUp);
    /** The learner's ending (task 3), every message handled: a test of one task stands on that task alone. */
    static final Resilience ENDING = Resilience.PLAIN.withEnding(CallEnding::new);
    /** The learner's message memory (task 4), the plain ending. */
    static final Resilience MEMORY = Resilience.PLAIN.withMemory(timeline -> new MessageMemory(timeline)::isNew);

    /** The learner's ICE restart (task 2), the rest plain. */
    static final Resilience RESTART = Resilience.PLAIN.withRestart((peerConnection, channel, loop, timeline, role) ->
            new IceRestart(peerConnection, channel, loop, timeline, role == Role.CALLER)::onIceConnectionState);

    final CallPeer caller;
    final CallPeer callee;
    CallReport callerReport;
    CallReport calleeReport;

    private TwoPeers(CallPeer caller, CallPeer callee) {
        this.caller = caller;
        this.callee = callee;
    }

    /** Both sides with {@code profile} and {@code resilience}; {@code callerOutgoing} wraps the caller's relay link. */
    static TwoPeers up(URI relay, IceProfile profile, Resilience resilience, UnaryOperator<RelayClient> callerOutgoing)
            throws Exception {
        String room = "step06-" + ROOMS.incrementAndGet();
        CallPeer callee = new CallPeer(options(Role.CALLEE, relay, room, profile, resilience));
        CallPeer caller = new CallPeer(
                options(Role.CALLER, relay, room, profile, resilience).withOutgoing(callerOutgoing));
        TwoPeers call = new TwoPeers(caller, callee);
        try {
            CompletableFuture<CallReport> calleeReport = callee.start();
            CallReport callerResult = caller.start().get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
            CallReport calleeResult = calleeReport.get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
            assertThat(callerResult.failure())
                    .as("why the caller's call did not come up; its timeline:%n%s", caller.timeline())
                    .isNull();
            assertThat(calleeResult.failure())
                    .as("why the callee's call did not come up; its timeline:%n%s", callee.timeline())
                    .isNull();
            call.callerReport = callerResult.resolvedBy(calleeResult);
            call.calleeReport = calleeResult.resolvedBy(callerResult);
            return call;
        } catch (Exception | AssertionError e) {
            call.close();
            throw e;
        }
    }

    static TwoPeers up(URI relay, IceProfile profile, Resilience resilience) throws Exception {
        return up(relay, profile, resilience, UnaryOperator.identity());
    }

    /** A connection with nothing on it, for a class's tests one call at a time; close it on {@code loop}. */
    static RTCPeerConnection bareConnection(EventLoop loop) throws Exception {
        return loop.submit(() -> WebRtcRuntime.factory()
                        .createPeerConnection(new RTCConfiguration(), loop.observer(new PeerConnectionObserver() {
                            @Override
                            public void onIceCandidate(RTCIceCandidate candidate) {}
                        })))
                .get(5, TimeUnit.SECONDS);
    }

    private static CallPeer.Options options(
            Role role, URI relay, String room, IceProfile profile, Resilience resilience) {
        return CallPeer.Options.of(role, relay, room, role.label(), profile, STEP05)
                .withTimeout(WAIT)
                .withResilience(resilience);
    }

    @Override
    public void close() {
        caller.close();
        callee.close();
    }
}
