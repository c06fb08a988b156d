package callguide.bench;

import callguide.kit.ice.IceProfile;
import callguide.kit.media.Devices;
import callguide.kit.media.FrameCounter;
import callguide.kit.media.LocalMedia;
import callguide.kit.media.MediaConstraints;
import callguide.kit.media.Stream;
import callguide.kit.rtc.EventLoop;
import callguide.kit.rtc.InMemorySignalling;
import callguide.kit.rtc.PeerEvents;
import callguide.kit.timeline.CallTimeline;
import callguide.step01.UserMedia;
import callguide.step02.PeerConnections;
import callguide.step02.PeerListeners;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The floor of {@code bench call}: the same two peers (the guide's media, the same configuration
 * and listeners) in one JVM, exchanging descriptions and candidates directly in memory
 * ({@link InMemorySignalling}), with no relay and no process boundary.
 */
final class FloorCall {

    /** Milliseconds from createOffer to both sides connected, and to the later side's first remote frame. */
    record Timing(double setupMs, double firstFrameMs) {}

    private FloorCall() {}

    static Timing run(IceProfile profile) throws Exception {
        try (Side caller = new Side("floor-caller", profile);
                Side callee = new Side("floor-callee", profile)) {
            InMemorySignalling signalling = new InMemorySignalling(caller.link, callee.link);
            long start = System.nanoTime();
            signalling.negotiate().get(10, TimeUnit.SECONDS);
            CompletableFuture.allOf(caller.connected, callee.connected).get(10, TimeUnit.SECONDS);
            long up = Math.max(caller.connected.get(), callee.connected.get());
            long frame = Math.max(
                    caller.frames.firstFrame().get(10, TimeUnit.SECONDS),
                    callee.frames.firstFrame().get(10, TimeUnit.SECONDS));
            return new Timing((up - start) / 1e6, (frame - start) / 1e6);
        }
    }

    private static final class Side implements PeerEvents, AutoCloseable {
        final EventLoop loop;
        final LocalMedia media;
        final RTCPeerConnection peerConnection;
        final InMemorySignalling.Side link;
        final FrameCounter frames = new FrameCounter();
        final CompletableFuture<Long> connected = new CompletableFuture<>();

        Side(String name, IceProfile profile) throws Exception {
            loop = new EventLoop(name);
            media = UserMedia.getUserMedia(Devices.synthetic(), MediaConstraints.guide(), false);
            PeerListeners listeners = new PeerListeners(new CallTimeline(name), new Stream("remote"), this);
            peerConnection = loop.submit(
                            () -> PeerConnections.create(PeerConnections.configuration(profile), listeners, loop))
                    .get(5, TimeUnit.SECONDS);
            link = new InMemorySignalling.Side(peerConnection, loop, profile);
            loop.run(() -> PeerConnections.addLocalTracks(peerConnection, media.stream()))
                    .get(5, TimeUnit.SECONDS);
        }

        @Override
        public void localCandidate(RTCIceCandidate candidate) {
            link.localCandidate(candidate);
        }

        @Override
        public void connectionState(RTCPeerConnectionState state) {
            if (state == RTCPeerConnectionState.CONNECTED) {
                connected.complete(System.nanoTime());
            }
        }

        @Override
        public void remoteTrack(MediaStreamTrack track) {
            if (track instanceof VideoTrack video) {
                video.addSink(frames);
            }
        }

        @Override
        public void close() throws Exception {
            loop.run(() -> {
                        for (RTCRtpSender sender : peerConnection.getSenders()) {
                            peerConnection.removeTrack(sender);
                        }
                        peerConnection.close();
                        media.close();
                    })
                    .get(5, TimeUnit.SECONDS);
            loop.close();
        }
    }
}
