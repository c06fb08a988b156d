package callguide.kit.rtc;

import callguide.kit.ice.IceProfile;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Two peer connections in one JVM that exchange descriptions and candidates directly, in
 * memory, with no relay. The tests of the steps before signalling use it to bring a call up,
 * and {@code bench call} uses it as the floor a relayed call is compared with.
 *
 * <p>It is test scaffolding, not the lesson: step04 and step05 are where the learner writes
 * this exchange for real. Each side's candidate handling runs on that side's loop.
 */
public final class InMemorySignalling {

    /** One side: its connection, its loop, and which of its candidates it signals. */
    public static final class Side {
        private final RTCPeerConnection peerConnection;
        private final EventLoop loop;
        private final IceProfile profile;
        private final List<RTCIceCandidate> held = new ArrayList<>();
        private boolean remoteSet;
        private Side other;

        public Side(RTCPeerConnection peerConnection, EventLoop loop, IceProfile profile) {
            this.peerConnection = peerConnection;
            this.loop = loop;
            this.profile = profile;
        }

        /** Give this side's local candidates here (from its {@code icecandidate} listener). */
        public void localCandidate(RTCIceCandidate candidate) {
            if (profile.shouldSignal(candidate)) {
                other.loop.execute(() -> other.remoteCandidate(candidate));
            }
        }

        private void remoteCandidate(RTCIceCandidate candidate) {
            if (remoteSet) {
                peerConnection.addIceCandidate(candidate);
            } else {
                held.add(candidate); // added before the remote description, it would be dropped
            }
        }

        private void remoteDescriptionSet() {
            remoteSet = true;
            held.forEach(peerConnection::addIceCandidate);
            held.clear();
        }
    }

    private final Side caller;
    private final Side callee;

    public InMemorySignalling(Side caller, Side callee) {
        this.caller = caller;
        this.callee = callee;
        caller.other = callee;
        callee.other = caller;
    }

    /** Offer from the caller, answer from the callee; completes when both descriptions are set on both sides. */
    public CompletableFuture<Void> negotiate() {
        RTCPeerConnection a = caller.peerConnection;
        RTCPeerConnection b = callee.peerConnection;
        return Descriptions.createOffer(a, new RTCOfferOptions(), caller.loop)
                .thenCompose(offer -> Descriptions.setLocal(a, offer, caller.loop)
                        .thenCompose(set -> Descriptions.setRemote(b, offer, callee.loop)))
                .thenRunAsync(callee::remoteDescriptionSet, callee.loop) // each side's state on its own loop
                .thenCompose(set -> Descriptions.createAnswer(b, new RTCAnswerOptions(), callee.loop))
                .thenCompose(answer -> Descriptions.setLocal(b, answer, callee.loop)
                        .thenCompose(set -> Descriptions.setRemote(a, answer, caller.loop)))
                .thenRunAsync(caller::remoteDescriptionSet, caller.loop);
    }
}
