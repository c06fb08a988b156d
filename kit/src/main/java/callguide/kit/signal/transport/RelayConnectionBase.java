package callguide.kit.signal.transport;

import callguide.kit.signal.Envelope;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.Payloads;
import callguide.kit.signal.RelayClient;
import callguide.kit.signal.RelayException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * What both transports share: the join that completes on the relay's {@code welcome} (or fails
 * on its {@code error}), in-order delivery to the listener with duplicates dropped by
 * {@code seq}, and the {@link #closed()} future.
 */
abstract class RelayConnectionBase implements RelayClient {

    /** How long a join may take before it fails with a clear message. */
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    private final String room;
    private final String peer;
    private final Consumer<Envelope> listener;
    final CompletableFuture<RelayClient> joined = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Payloads.Welcome welcome;
    private long lastSeq;

    RelayConnectionBase(String room, String peer, Consumer<Envelope> listener) {
        this.room = room;
        this.peer = peer;
        this.listener = listener;
    }

    /** The join future, bounded: a relay that never answers fails it with a clear message. */
    CompletableFuture<RelayClient> joinedWithin(URI relay) {
        return joined.orTimeout(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(error -> {
            if (error instanceof TimeoutException) {
                close();
                return CompletableFuture.failedFuture(new TimeoutException("no welcome from the relay at " + relay
                        + " within " + JOIN_TIMEOUT.toSeconds() + " s (" + transport() + ")"));
            }
            return CompletableFuture.failedFuture(error);
        });
    }

    /**
     * Handles one message from the relay. Callers deliver one message at a time, in the order
     * the transport received them. Returns the highest {@code seq} seen.
     */
    final synchronized long received(Envelope message) {
        if (message.seq() != null) {
            if (message.seq() <= lastSeq) {
                return lastSeq; // already delivered: a retried poll may repeat messages
            }
            lastSeq = message.seq();
        }
        if (!joined.isDone()) {
            if (MessageTypes.WELCOME.equals(message.type())) {
                welcome = message.payloadAs(Payloads.Welcome.class);
                joined.complete(this);
                return lastSeq;
            }
            if (MessageTypes.ERROR.equals(message.type())) {
                joined.completeExceptionally(refusal(message));
                return lastSeq;
            }
        }
        try {
            listener.accept(message);
        } catch (RuntimeException | Error e) {
            System.err.println(
                    "callguide: the relay listener of " + peer + " threw on a " + message.type() + " message: " + e);
        }
        return lastSeq;
    }

    final synchronized long lastSeq() {
        return lastSeq;
    }

    /** The connection ended: a pending join fails, {@link #closed()} completes. */
    final void ended(String why) {
        joined.completeExceptionally(
                new java.io.IOException("relay connection of " + peer + " ended before the welcome: " + why));
        closed.complete(null);
    }

    /**
     * Why connecting to {@code relay} failed, in one line: a pinned certificate that does not
     * match says so with both fingerprints; an https relay whose certificate the JDK does not
     * trust (a self-signed one, without a pin) says how to pin it.
     */
    static String why(URI relay, Throwable error) {
        boolean untrusted = false;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof PinnedTrustManager.Mismatch mismatch) {
                return mismatch.getMessage();
            }
            untrusted |= t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathBuilderException;
        }
        Throwable root = error;
        while ((root instanceof java.util.concurrent.CompletionException
                        || root instanceof java.util.concurrent.ExecutionException)
                && root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        if (untrusted && "https".equalsIgnoreCase(relay.getScheme()) && relay.getFragment() == null) {
            message += " (the JDK does not trust the relay's certificate; if it is the relay's self-signed one,"
                    + " pin it: --fingerprint FP, or " + RelayHttp.base(relay) + "#" + RelayHttp.PIN_PREFIX
                    + "FP, FP as the relay prints it)";
        }
        return message;
    }

    static RelayException refusal(Envelope error) {
        Payloads.Error body = error.payloadAs(Payloads.Error.class);
        return new RelayException(body.code(), body.message());
    }

    static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code http://host:port} with any trailing slash removed. */
    static String base(URI relay) {
        return RelayHttp.base(relay);
    }

    @Override
    public String room() {
        return room;
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public Payloads.Welcome welcome() {
        return welcome;
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public String toString() {
        return transport() + " " + room + "/" + peer;
    }
}
