package callguide.kit.rtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The guide's {@code await peerConnection.createOffer(...)} and friends: webrtc-java's observer
 * callbacks turned into {@link CompletableFuture}s, completed on the peer's {@link EventLoop}
 * so that what the caller chains next runs on the peer's own thread.
 *
 * <p>Bad input becomes a failed future with an {@link InvalidDescriptionException}, never an
 * exception thrown through the caller: malformed SDP makes webrtc-java throw a
 * {@code java.lang.Error} at once, a description in the wrong state calls {@code onFailure}.
 */
public final class Descriptions {

    private Descriptions() {}

    public static CompletableFuture<RTCSessionDescription> createOffer(
            RTCPeerConnection pc, RTCOfferOptions options, Executor completeOn) {
        return create("createOffer", completeOn, observer -> pc.createOffer(options, observer));
    }

    public static CompletableFuture<RTCSessionDescription> createAnswer(
            RTCPeerConnection pc, RTCAnswerOptions options, Executor completeOn) {
        return create("createAnswer", completeOn, observer -> pc.createAnswer(options, observer));
    }

    public static CompletableFuture<Void> setLocal(
            RTCPeerConnection pc, RTCSessionDescription description, Executor completeOn) {
        return set(
                "setLocalDescription",
                description,
                completeOn,
                observer -> pc.setLocalDescription(description, observer));
    }

    public static CompletableFuture<Void> setRemote(
            RTCPeerConnection pc, RTCSessionDescription description, Executor completeOn) {
        return set(
                "setRemoteDescription",
                description,
                completeOn,
                observer -> pc.setRemoteDescription(description, observer));
    }

    private interface Call<O> {
        void start(O observer);
    }

    private static CompletableFuture<RTCSessionDescription> create(
            String what, Executor completeOn, Call<CreateSessionDescriptionObserver> call) {
        CompletableFuture<RTCSessionDescription> result = new CompletableFuture<>();
        try {
            call.start(new CreateSessionDescriptionObserver() {
                @Override
                public void onSuccess(RTCSessionDescription description) {
                    completeOn.execute(() -> result.complete(description));
                }

                @Override
                public void onFailure(String error) {
                    completeOn.execute(() -> result.completeExceptionally(
                            new InvalidDescriptionException(what + " failed: " + error, null)));
                }
            });
        } catch (Error | RuntimeException e) {
            result.completeExceptionally(new InvalidDescriptionException(what + " failed: " + e.getMessage(), e));
        }
        return result;
    }

    private static CompletableFuture<Void> set(
            String what,
            RTCSessionDescription description,
            Executor completeOn,
            Call<SetSessionDescriptionObserver> call) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (description == null || description.sdp == null || description.sdpType == null) {
            result.completeExceptionally(new InvalidDescriptionException(
                    what + " needs a description with a type and an sdp, got " + description, null));
            return result;
        }
        try {
            call.start(new SetSessionDescriptionObserver() {
                @Override
                public void onSuccess() {
                    completeOn.execute(() -> result.complete(null));
                }

                @Override
                public void onFailure(String error) {
                    completeOn.execute(() -> result.completeExceptionally(new InvalidDescriptionException(
                            what + "(" + description.sdpType + ") failed: " + error, null)));
                }
            });
        } catch (Error | RuntimeException e) {
            // Malformed SDP: webrtc-java throws java.lang.Error ("Create session description failed").
            result.completeExceptionally(new InvalidDescriptionException(
                    what + "(" + description.sdpType + ") refused the SDP: " + e.getMessage(), e));
        }
        return result;
    }
}
