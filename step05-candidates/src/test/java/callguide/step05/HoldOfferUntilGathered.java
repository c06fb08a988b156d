package callguide.step05;

import callguide.kit.signal.Envelope;
import callguide.kit.signal.ForwardingRelayClient;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.RelayClient;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import java.util.concurrent.CompletableFuture;

/**
 * The caller's relay connection, with its offer held back until the caller has gathered and sent
 * every candidate: the relay then delivers every candidate before the offer, the order the
 * callee's candidate queue exists for.
 */
final class HoldOfferUntilGathered extends ForwardingRelayClient {
    private final CallTimeline caller;

    HoldOfferUntilGathered(RelayClient relay, CallTimeline caller) {
        super(relay);
        this.caller = caller;
    }

    @Override
    public CompletableFuture<Void> send(Envelope message) {
        if (!MessageTypes.OFFER.equals(message.type())) {
            return super.send(message);
        }
        // Gathering COMPLETE is recorded on the caller's loop after every candidate was handled.
        return caller.when(EventKind.ICE_GATHERING_STATE, "COMPLETE").thenCompose(complete -> super.send(message));
    }
}
