package callguide.app.run;

import static callguide.app.run.StepRun.say;

import callguide.kit.ice.IceProfile;
import callguide.kit.ice.LoopbackNetwork;
import callguide.kit.media.Devices;
import callguide.kit.media.LocalMedia;
import callguide.kit.media.MediaConstraints;
import callguide.kit.media.Stream;
import callguide.kit.rtc.EventLoop;
import callguide.kit.rtc.HangUp;
import callguide.kit.rtc.InMemorySignalling;
import callguide.kit.rtc.PeerEvents;
import callguide.kit.rtc.WebRtcRuntime;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import callguide.step01.UserMedia;
import callguide.step02.PeerConnections;
import callguide.step02.PeerListeners;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./workshop run 02}: two peer connections with the ICE servers and every listener,
 * connected in memory (signalling is step03's), each listener's event printed as it fires;
 * then closed.
 */
public final class Step02Peer {

    private Step02Peer() {}

    public static void main(String[] args) {
        StepRun.main("step02", args, Step02Peer::run);
    }

    /** One side: its media, listeners and connection. */
    private static final class Side {
        final String name;
        final EventLoop loop;
        final CallTimeline timeline;
        final LocalMedia media;
        final AtomicInteger offersStarted = new AtomicInteger();
        final RTCPeerConnection peerConnection;
        final InMemorySignalling.Side link;

        Side(String name, IceProfile profile, boolean onPeerThread, CompletableFuture<Void> failure) {
            this.name = name;
            loop = new EventLoop(name);
            StepRun.failOnLoopError(loop, failure);
            timeline = StepRun.printed(new CallTimeline(name));
            media = UserMedia.getUserMedia(Devices.synthetic(), MediaConstraints.guide(), false);
            InMemorySignalling.Side[] self = new InMemorySignalling.Side[1];
            RTCPeerConnection[] connection = new RTCPeerConnection[1];
            PeerListeners listeners = new PeerListeners(timeline, new Stream("remote"), new PeerEvents() {
                @Override
                public void startOffer() {
                    offersStarted.incrementAndGet();
                    // What an offer made now would carry: step04 makes it from here. This run's own negotiation
                    // comes later, with both tracks, so the line must say it is about step04's offer.
                    say(
                            "%s: offer started with %d of %d local tracks on the connection (what step04's offer, made"
                                    + " here, would carry)",
                            name,
                            connection[0].getSenders().length,
                            media.stream().getTracks().size());
                }

                @Override
                public void localCandidate(RTCIceCandidate candidate) {
                    self[0].localCandidate(candidate);
                }
            });
            RTCConfiguration configuration = PeerConnections.configuration(profile);
            peerConnection = onPeerThread
                    ? PeerConnections.create(configuration, listeners, loop)
                    : WebRtcRuntime.factory().createPeerConnection(configuration, listeners);
            connection[0] = peerConnection;
            link = new InMemorySignalling.Side(peerConnection, loop, profile);
            self[0] = link;
        }
    }

    /** Listeners called on webrtc-java's own thread: what {@code --without peer-thread} runs. */
    static final StepRun.Idea PEER_THREAD = new StepRun.Idea(
            "peer-thread",
            "the listeners run on webrtc-java's native thread, as it calls them, not queued on the peer's own");

    private static void run(String[] args) throws Exception {
        boolean onPeerThread = StepRun.without(args, PEER_THREAD).isEmpty();
        IceProfile profile = LoopbackNetwork.profile();
        say("ICE servers: %s (a STUN responder on 127.0.0.1)", profile.iceServers());
        CompletableFuture<Void> failure = new CompletableFuture<>();
        Side caller = new Side("caller", profile, onPeerThread, failure);
        Side callee = new Side("callee", profile, onPeerThread, failure);
        for (Side side : new Side[] {caller, callee}) {
            var senders = StepRun.await(
                    side.loop.submit(() -> PeerConnections.addLocalTracks(side.peerConnection, side.media.stream())),
                    5,
                    "tracks added");
            say("%s: %d local tracks added", side.name, senders.size());
        }
        CompletableFuture<Void> connected = caller.timeline
                .when(EventKind.CONNECTION_STATE, "CONNECTED")
                .thenCombine(callee.timeline.when(EventKind.CONNECTION_STATE, "CONNECTED"), (a, b) -> null);
        new InMemorySignalling(caller.link, callee.link).negotiate();
        StepRun.await(CompletableFuture.anyOf(connected, failure), 10, "connection on both sides");
        say("closing both connections (removing their tracks makes negotiation-needed fire once more: no new offer)");
        for (Side side : new Side[] {caller, callee}) {
            side.loop.run(() -> HangUp.close(side.peerConnection)).get(5, TimeUnit.SECONDS);
            StepRun.await(
                    side.timeline.when(EventKind.SIGNALING_STATE, "CLOSED"),
                    5,
                    side.name + "'s signalling state CLOSED");
            side.media.close();
        }
        failure.getNow(null);
        say(
                "closed: caller signalling %s, connection %s",
                caller.timeline.values(EventKind.SIGNALING_STATE), caller.timeline.values(EventKind.CONNECTION_STATE));
        for (Side side : new Side[] {caller, callee}) {
            say(
                    "%s: negotiation-needed fired %d times in all, offers started: %d",
                    side.name, side.timeline.count(EventKind.NEGOTIATION_NEEDED), side.offersStarted.get());
        }
    }
}
