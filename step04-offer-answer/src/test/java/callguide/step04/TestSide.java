package callguide.step04;

import callguide.kit.ice.LoopbackNetwork;
import callguide.kit.media.Devices;
import callguide.kit.media.LocalMedia;
import callguide.kit.media.MediaConstraints;
import callguide.kit.media.Stream;
import callguide.kit.rtc.EventLoop;
import callguide.kit.rtc.HangUp;
import callguide.kit.rtc.PeerEvents;
import callguide.kit.signal.Envelope;
import callguide.kit.signal.RelayClient;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import callguide.step01.UserMedia;
import callguide.step02.PeerConnections;
import callguide.step02.PeerListeners;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One side as steps 01 to 03 leave it: media, a peer connection with its tracks, a signalling
 * channel joined to the room. The learner's OfferAnswer is built on it; what arrives through the
 * relay is kept for the test to look at.
 */
final class TestSide implements AutoCloseable {
    final EventLoop loop;
    final CallTimeline timeline;
    final SignallingChannel channel;
    final LocalMedia media;
    final RTCPeerConnection peerConnection;
    final OfferAnswer offerAnswer;
    final AtomicInteger afterRemoteDescription = new AtomicInteger();
    final List<Envelope> received = new CopyOnWriteArrayList<>();
    private final RelayClient client;
    private boolean closed;

    TestSide(String name, URI relay, String room) throws Exception {
        loop = new EventLoop(name);
        timeline = new CallTimeline(name);
        channel = new SignallingChannel(loop, timeline);
        media = UserMedia.getUserMedia(Devices.synthetic(), MediaConstraints.guide(), false);
        PeerListeners listeners = new PeerListeners(timeline, new Stream("remote"), new PeerEvents() {});
        peerConnection =
                PeerConnections.create(PeerConnections.configuration(LoopbackNetwork.profile()), listeners, loop);
        offerAnswer = new OfferAnswer(peerConnection, channel, loop, () -> {
            afterRemoteDescription.incrementAndGet();
            timeline.record(EventKind.CALL, "after remote description");
        });
        for (String type : List.of("offer", "answer")) {
            channel.on(type, received::add);
        }
        onLoop(() -> PeerConnections.addLocalTracks(peerConnection, media.stream()));
        client = RelayClient.webSocket(relay, room, name, channel.listener()).get(10, TimeUnit.SECONDS);
        channel.attach(client);
    }

    /** Runs {@code task} on the side's loop and waits for its result. */
    <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    /** Calls one of the learner's methods on the loop, as the app does, and gives its future. */
    <T> CompletableFuture<T> start(Callable<CompletableFuture<T>> call) {
        return loop.submit(call).thenCompose(future -> {
            if (future == null) {
                throw new IllegalStateException("the method returned null instead of a CompletableFuture");
            }
            return future;
        });
    }

    @Override
    public void close() throws Exception {
        if (!closed) {
            closed = true;
            onLoop(() -> {
                HangUp.close(peerConnection);
                return null;
            });
        }
        media.close();
        client.close();
        loop.close();
    }
}
