package callguide.app.run;

import static callguide.app.run.StepRun.say;

import callguide.app.FiveSteps;
import callguide.kit.signal.Envelope;
import callguide.kit.signal.ForwardingRelayClient;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.RelayClient;
import callguide.kit.timeline.EventKind;
import dev.onvoid.webrtc.RTCSessionDescription;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * {@code ./workshop run 04 [--without answer]}: offer and answer between two peers through a relay started here;
 * each side's signalling states as they change, then the media sections of both descriptions.
 */
public final class Step04OfferAnswer {

    private Step04OfferAnswer() {}

    public static void main(String[] args) {
        StepRun.main("step04", args, Step04OfferAnswer::run);
    }

    /** An answer that never arrives: what {@code --without answer} runs. */
    static final StepRun.Idea ANSWER = new StepRun.Idea(
            "answer", "the callee's answer is dropped on its way to the relay, so the caller never applies it");

    private static void run(String[] args) throws Exception {
        CallRun.Variant variant = StepRun.without(args, ANSWER)
                .map(idea -> new CallRun.Variant(
                        FiveSteps.TRICKLE,
                        UnaryOperator.identity(),
                        options -> options.withOutgoing(WithoutAnswer::new),
                        true))
                .orElse(CallRun.Variant.NONE);
        CallRun.run(
                args,
                EnumSet.of(
                        EventKind.SIGNALING_STATE, EventKind.MESSAGE_SENT, EventKind.MESSAGE_RECEIVED, EventKind.ERROR),
                variant,
                (caller, callee) -> {
                    print("caller", "local (the offer)", caller.peerConnection().getLocalDescription());
                    print(
                            "callee",
                            "local (the answer)",
                            callee.peerConnection().getLocalDescription());
                });
    }

    /** The callee's relay connection, with every answer it sends dropped (and said so). */
    private static final class WithoutAnswer extends ForwardingRelayClient {
        WithoutAnswer(RelayClient relay) {
            super(relay);
        }

        @Override
        public CompletableFuture<Void> send(Envelope message) {
            if (MessageTypes.ANSWER.equals(message.type())) {
                say("callee's answer dropped before the relay (--without answer)");
                return CompletableFuture.completedFuture(null);
            }
            return super.send(message);
        }
    }

    private static void print(String side, String which, RTCSessionDescription description) {
        say("%s's %s description, %s:", side, which, description.sdpType);
        String media = null;
        for (String line : description.sdp.split("\r?\n")) {
            if (line.startsWith("m=")) {
                media = line;
            } else if (media != null && line.matches("a=(sendrecv|sendonly|recvonly|inactive)")) {
                say("    %s  %s", media.length() > 60 ? media.substring(0, 60) + "..." : media, line.substring(2));
                media = null;
            } else if (line.contains(" CN/")) {
                say("    voice activity detection: %s", line);
            }
        }
    }
}
