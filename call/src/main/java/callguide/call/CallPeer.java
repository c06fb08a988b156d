package callguide.call;

import callguide.kit.Todo;
import callguide.kit.ice.IceProfile;
import callguide.kit.media.AudioCounter;
import callguide.kit.media.Devices;
import callguide.kit.media.FrameCounter;
import callguide.kit.media.LocalMedia;
import callguide.kit.media.MediaConstraints;
import callguide.kit.media.Stream;
import callguide.kit.rtc.EventLoop;
import callguide.kit.rtc.HangUp;
import callguide.kit.rtc.PeerEvents;
import callguide.kit.rtc.Stats;
import callguide.kit.signal.CallOutcome;
import callguide.kit.signal.CandidateMessage;
import callguide.kit.signal.Envelope;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.RelayClient;
import callguide.kit.signal.SessionDescriptionMessage;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import callguide.step01.UserMedia;
import callguide.step02.PeerConnections;
import callguide.step02.PeerListeners;
import callguide.step03.CallAnnouncement;
import callguide.step03.RelayConnection;
import callguide.step04.OfferAnswer;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One side of a call, built from the five steps in the guide's order: getUserMedia (step01), the
 * peer connection and its listeners (step02), the announcement through the relay (step03), offer
 * and answer (step04), trickle ICE with the queue of early candidates (step05, handed in as a
 * {@link Trickle}).
 *
 * <p>Its verdict comes from what this side saw, never from a message only our own clients send:
 * the call is up when ICE is connected or completed, the connection is connected and media
 * arrived here. The report then says what happened, with the candidate pair from stats; a call
 * that did not come up names the stage that failed. Telling the other side that media arrived
 * ({@value #MEDIA_RECEIVED}, an extension other stacks never send) is a courtesy: it lets that side
 * hang up early ({@link #untilDone}), and changes no verdict. A {@code hangup} or {@code peer-left}
 * from the other side ends the call: the connection is closed and the report says who ended it.
 * Offers, answers and candidates pass {@link Resilience}' message memory first, and the hang-up both ways is its
 * ending's (step06's classes, or {@link Resilience#PLAIN}).
 *
 * <p>Threads: everything but {@link #start()} and {@link #close()} runs on the peer's {@link EventLoop}.
 */
public final class CallPeer implements AutoCloseable {

    /** Sent by a side once media arrives: the other side then knows it flows both ways (optional, sent once). */
    public static final String MEDIA_RECEIVED = "x-media-received";
    /**
     * The {@code call} event recorded as the hang-up begins. Removing the tracks fires negotiation-needed once more,
     * which nobody answers: the timeline shows it after this, before {@link #CLOSED}.
     */
    public static final String HANGING_UP =
            "hanging up: tracks removed (negotiation-needed fires for that, unanswered), connection closing";
    /** The {@code call} event recorded once the connection's last events (its states CLOSED) are in. */
    public static final String CLOSED = "closed";

    /** The {@code call} event recorded when the ending ({@link Resilience.Ending}) left the connection open. */
    public static final String LEFT_OPEN = "still open: the ending returned without closing the connection";
    /** The {@code call} event recorded when the first remote video frame arrives. */
    public static final String FIRST_FRAME = "first video frame";

    /**
     * How to run one side. {@code outgoing} wraps the relay connection the peer sends through:
     * the identity normally; tests use it to hold a message back or reorder what the relay sees.
     */
    public record Options(
            Role role,
            URI relay,
            String room,
            String peer,
            IceProfile profile,
            Trickle trickle,
            Devices devices,
            boolean voiceOnly,
            Duration timeout,
            int minVideoFrames,
            int minAudioCallbacks,
            UnaryOperator<RelayClient> outgoing,
            Resilience resilience) {

        public static Options of(Role role, URI relay, String room, String peer, IceProfile profile, Trickle trickle) {
            return new Options(
                    role,
                    relay,
                    room,
                    peer,
                    profile,
                    trickle,
                    Devices.synthetic(),
                    false,
                    Duration.ofSeconds(30),
                    10,
                    10,
                    UnaryOperator.identity(),
                    Resilience.PLAIN);
        }

        public Options withVoiceOnly(boolean voiceOnly) {
            return edit(e -> e.voiceOnly = voiceOnly);
        }

        public Options withTimeout(Duration timeout) {
            return edit(e -> e.timeout = timeout);
        }

        /** step06's message memory and ending instead of {@link Resilience#PLAIN}. */
        public Options withResilience(Resilience resilience) {
            return edit(e -> e.resilience = resilience);
        }

        public Options withOutgoing(UnaryOperator<RelayClient> outgoing) {
            return edit(e -> e.outgoing = outgoing);
        }

        /** These options with what {@code change} sets: every with-er through one copy of the fields. */
        private Options edit(Consumer<Edit> change) {
            Edit e = new Edit(this);
            change.accept(e);
            return new Options(
                    role,
                    relay,
                    room,
                    peer,
                    profile,
                    trickle,
                    devices,
                    e.voiceOnly,
                    e.timeout,
                    minVideoFrames,
                    minAudioCallbacks,
                    e.outgoing,
                    e.resilience);
        }

        /** The fields a with-er changes. */
        private static final class Edit {
            boolean voiceOnly;
            Duration timeout;
            UnaryOperator<RelayClient> outgoing;
            Resilience resilience;

            Edit(Options o) {
                voiceOnly = o.voiceOnly;
                timeout = o.timeout;
                outgoing = o.outgoing;
                resilience = o.resilience;
            }
        }
    }

    private final Options options;
    private final CallTimeline timeline;
    private final EventLoop loop;
    private final SignallingChannel channel;
    private final CallAnnouncement announcement;
    private final Stream remoteStream = new Stream("remote");
    private final FrameCounter remoteVideo = new FrameCounter();
    private final AudioCounter remoteAudio = new AudioCounter();
    private final CompletableFuture<CallReport> result = new CompletableFuture<>();
    private final CompletableFuture<Void> otherPresent = new CompletableFuture<>();
    private final CompletableFuture<Void> accepted = new CompletableFuture<>();
    private final CompletableFuture<Void> iceUp = new CompletableFuture<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> mediaHere = new CompletableFuture<>();
    private final CompletableFuture<Void> mediaThere = new CompletableFuture<>();
    /** The other side hung up or left; completes with what it did. */
    private final CompletableFuture<String> otherEnded = new CompletableFuture<>();

    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile String stage = "starting";
    private volatile boolean upHere;
    private boolean connectionClosed; // on the loop

    // Set on the loop by prepare().
    private LocalMedia media;
    private RTCPeerConnection peerConnection;
    private Trickle.RemoteCandidates candidateQueue;
    private Consumer<RTCIceCandidate> trickleIce;
    private OfferAnswer offerAnswer;
    private Resilience.Ending ending;
    private Consumer<RTCIceConnectionState> restart;
    private java.util.function.Predicate<Envelope> isNew;

    public CallPeer(Options options) {
        this(options, new CallTimeline(options.role().label()));
    }

    public CallPeer(Options options, CallTimeline timeline) {
        this.options = options;
        this.timeline = timeline;
        this.loop = new EventLoop(options.peer());
        this.channel = new SignallingChannel(loop, timeline);
        this.announcement = new CallAnnouncement(channel);
    }

    public CallTimeline timeline() {
        return timeline;
    }

    public FrameCounter remoteVideo() {
        return remoteVideo;
    }

    public AudioCounter remoteAudio() {
        return remoteAudio;
    }

    /** The local media, once prepared (both sides prepare before they join). */
    public LocalMedia media() {
        return media;
    }

    public RTCPeerConnection peerConnection() {
        return peerConnection;
    }

    public EventLoop loop() {
        return loop;
    }

    /** Starts the call; the report comes when it is up both ways, or failed, or timed out. */
    public CompletableFuture<CallReport> start() {
        loop.onFailure(this::fail);
        CompletableFuture.delayedExecutor(options.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> fail(new TimeoutException(
                        "the call was not up after " + options.timeout().toSeconds() + " s")));
        loop.execute(this::begin);
        return result;
    }

    private void begin() {
        isNew = options.resilience().memory().on(timeline);
        channel.on(MessageTypes.PEER_JOINED, message -> otherPresent.complete(null));
        channel.on(
                MessageTypes.PEER_LEFT,
                message -> otherSideEnded(
                        "left the room (" + message.payload().path("reason").asText("no reason given") + ")"));
        channel.on(MessageTypes.HANGUP, message -> otherSideEnded("hung up"));
        negotiation(MessageTypes.CANDIDATE, message -> {
            if (candidateQueue == null) {
                throw new IllegalStateException("a candidate came before this peer was prepared");
            }
            CandidateMessage candidate = message.payloadAs(CandidateMessage.class);
            java.util.Optional<String> refused = options.profile().acceptsRemote(candidate);
            if (refused.isPresent()) { // recorded, never handed to libwebrtc
                timeline.record(EventKind.ERROR, "candidate-refused: " + refused.get());
                return;
            }
            candidateQueue.handle().accept(candidate);
        });
        channel.on(MEDIA_RECEIVED, message -> mediaThere.complete(null));
        if (options.role() == Role.CALLER) {
            negotiation(
                    MessageTypes.ANSWER,
                    message -> step(
                            "step04 applying the answer",
                            offerAnswer.acceptAnswer(message.payloadAs(SessionDescriptionMessage.class))));
        } else {
            negotiation(
                    MessageTypes.OFFER,
                    message -> step(
                            "step04 answering the offer",
                            offerAnswer.answerOffer(message.payloadAs(SessionDescriptionMessage.class))));
        }
        // Both sides prepare before they join, as /call.html does: each meets the steps in the guide's order, so
        // an unfinished step stops both at the same TODO (a callee preparing only once called stopped at step03
        // while its caller stopped at step01).
        prepare();
        stage = "step03 joining the relay";
        RelayConnection.connect(options.relay(), options.room(), options.peer(), channel.listener())
                .thenAcceptAsync(this::joined, loop)
                .exceptionally(this::fail);
    }

    /** An offer, answer or candidate: handled unless the message memory says it changes nothing (a repeat). */
    private void negotiation(String type, Consumer<Envelope> handler) {
        channel.on(type, message -> {
            if (connectionClosed || (peerConnection != null && HangUp.isClosed(peerConnection))) {
                // libwebrtc would refuse it in its own words ("Object handle is null")
                timeline.record(EventKind.MESSAGE_IGNORED, type + " after this side's connection closed");
            } else if (isNew.test(message)) {
                handler.accept(message);
            }
        });
    }

    private void joined(RelayClient client) {
        channel.attach(options.outgoing().apply(client));
        timeline.record(EventKind.CALL, "joined " + options.room() + " over " + client.transport());
        if (!client.welcome().peers().isEmpty()) {
            otherPresent.complete(null);
        }
        if (options.role() == Role.CALLER) {
            stage = "waiting for the callee to join";
            otherPresent
                    .thenComposeAsync(
                            present -> {
                                stage = "step03 announcing the call";
                                return announcement.announce(options.timeout());
                            },
                            loop)
                    .thenAcceptAsync(
                            outcome -> {
                                timeline.record(EventKind.CALL, "outcome " + outcome);
                                if (outcome == CallOutcome.ACCEPTED) {
                                    accepted.complete(null);
                                } else {
                                    fail(new IllegalStateException("the call ended: " + outcome));
                                }
                            },
                            loop)
                    .exceptionally(this::fail);
        } else {
            stage = "step03 waiting for a call";
            announcement
                    .answerWhenCalled(() -> {
                        timeline.record(EventKind.CALL, "called");
                        return CompletableFuture.completedFuture(null); // prepared before joining
                    })
                    .exceptionally(this::fail);
        }
        iceUp.runAfterBoth(connected, () -> {}).thenRunAsync(this::awaitMedia, loop);
        mediaHere.thenRunAsync(() -> finish(null), loop);
    }

    /** The guide's first two stages: local media, then the peer connection with its listeners and tracks. */
    private void prepare() {
        stage = "step01 getUserMedia";
        media = UserMedia.getUserMedia(options.devices(), MediaConstraints.guide(), options.voiceOnly());
        timeline.record(EventKind.CALL, "media ready");
        stage = "step02 creating the peer connection";
        PeerListeners listeners = new PeerListeners(timeline, remoteStream, new Events());
        peerConnection = PeerConnections.create(PeerConnections.configuration(options.profile()), listeners, loop);
        ending = options.resilience().ending().on(peerConnection, channel, timeline);
        restart = options.resilience().restart().on(peerConnection, channel, loop, timeline, options.role());
        candidateQueue = options.trickle().queue().on(peerConnection, timeline);
        trickleIce = options.trickle().sender().on(channel, options.profile(), timeline);
        offerAnswer = new OfferAnswer(peerConnection, channel, loop, candidateQueue.processAll());
        PeerConnections.addLocalTracks(peerConnection, media.stream());
        timeline.record(EventKind.CALL, "peer ready");
        stage = "step04 offer and answer";
    }

    private final class Events implements PeerEvents {
        @Override
        public void startOffer() {
            if (options.role() != Role.CALLER) {
                return; // the callee answers; it never offers
            }
            accepted.thenRunAsync(
                            () -> {
                                timeline.record(EventKind.CALL, "create-offer");
                                step("step04 making the offer", offerAnswer.makeOffer());
                            },
                            loop)
                    .exceptionally(
                            error -> { // a makeOffer that throws (a TODO): as if a loop task threw it
                                loop.fail(error);
                                return null;
                            });
        }

        @Override
        public void localCandidate(RTCIceCandidate candidate) {
            trickleIce.accept(candidate);
        }

        @Override
        public void iceConnectionState(RTCIceConnectionState state) {
            restart.accept(state);
            if (options.trickle().isCallUp().test(state)) {
                if (!connected.isDone()) {
                    stage = "step05 waiting for the connection";
                }
                iceUp.complete(null);
            } else if (state == RTCIceConnectionState.FAILED) {
                fail(new IllegalStateException("ICE failed: no candidate pair worked"));
            }
        }

        @Override
        public void connectionState(RTCPeerConnectionState state) {
            if (state == RTCPeerConnectionState.CONNECTED) {
                connected.complete(null);
            } else if (state == RTCPeerConnectionState.FAILED) {
                fail(new IllegalStateException("the connection failed"));
            }
        }

        @Override
        public void remoteTrack(MediaStreamTrack track) {
            if (track instanceof VideoTrack video) {
                video.addSink(remoteVideo);
                remoteVideo.firstFrame().thenRunAsync(() -> timeline.record(EventKind.CALL, FIRST_FRAME), loop);
            } else if (track instanceof AudioTrack audio) {
                audio.addSink(remoteAudio);
            }
        }
    }

    private void step(String name, CompletableFuture<?> future) {
        stage = name;
        future.whenComplete((value, error) -> {
            if (error != null) {
                fail(error);
            }
        });
    }

    /** Checks every 20 ms, on the loop, until enough media came; then tells the other side. */
    private void awaitMedia() {
        if (mediaHere.isDone() || result.isDone()) {
            return;
        }
        stage = "waiting for media";
        upHere = true;
        if (remoteVideo.frames() >= options.minVideoFrames()
                && remoteAudio.callbacks() >= options.minAudioCallbacks()) {
            timeline.record(
                    EventKind.CALL,
                    "media received: " + remoteVideo.frames() + " frames, " + remoteAudio.callbacks()
                            + " audio callbacks");
            channel.send(
                    MEDIA_RECEIVED,
                    Map.of("video_frames", remoteVideo.frames(), "audio_callbacks", remoteAudio.callbacks()));
            mediaHere.complete(null);
            return;
        }
        CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS, loop).execute(this::awaitMedia);
    }

    /**
     * The call was up here: the report, with the selected pair from stats. {@code endedBy} when the other side ended
     * it.
     */
    private CompletableFuture<Void> finish(String endedBy) {
        stage = "reading stats";
        return Stats.report(peerConnection)
                .thenAcceptAsync(
                        report -> result.complete(report(
                                true,
                                Stats.selectedPair(report, timeline.values(EventKind.CANDIDATE_APPLIED))
                                        .orElse(null),
                                null,
                                endedBy)),
                        loop)
                .exceptionally(this::fail);
    }

    /**
     * The other side sent {@code hangup} or left the room: the guide's {@code connectionstatechange}
     * to {@code closed}. A call that was up here (connected, and some media arrived) is reported as
     * ended by the other side; one that was not up fails, saying so. Either way the connection closes.
     */
    private void otherSideEnded(String what) {
        if (otherEnded.isDone()) {
            return;
        }
        String endedBy = "the other side " + what;
        timeline.record(EventKind.CALL, endedBy);
        CompletableFuture<Void> reported;
        if (result.isDone()) {
            reported = CompletableFuture.completedFuture(null);
        } else if (upHere && (remoteVideo.frames() > 0 || remoteAudio.callbacks() > 0)) {
            reported = finish(endedBy);
        } else {
            fail(new IllegalStateException(endedBy + " before the call was up"));
            reported = CompletableFuture.completedFuture(null);
        }
        reported.whenCompleteAsync(
                (v, e) -> {
                    try {
                        closeConnection(() -> ending.otherEnded(what));
                    } catch (RuntimeException | Error failed) {
                        loop.fail(failed); // the ending's own failure (a TODO): the call did not end as it should
                        return;
                    }
                    otherEnded.complete(endedBy);
                },
                loop);
    }

    /**
     * Completes when this side may hang up without cutting the other short: the other side said
     * media arrived there, or it hung up or left, or {@code linger} passed since this call.
     */
    public CompletableFuture<Void> untilDone(Duration linger) {
        return CompletableFuture.anyOf(mediaThere, otherEnded)
                .completeOnTimeout(null, linger.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(v -> null);
    }

    /** What the other side did to end the call, once it did. */
    public CompletableFuture<String> otherEnded() {
        return otherEnded;
    }

    private Void fail(Throwable error) {
        if (result.isDone()) {
            return null;
        }
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        String failure = Todo.in(cause)
                .map(Throwable::getMessage)
                .orElse(stage + ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
        timeline.record(EventKind.ERROR, failure);
        result.complete(report(false, null, failure, null));
        return null;
    }

    private CallReport report(boolean ok, Stats.SelectedPair pair, String failure, String endedBy) {
        return new CallReport(
                timeline.side(),
                ok,
                timeline.startEpochMillis(),
                timeline.events().stream().map(CallReport.Entry::of).toList(),
                remoteVideo.frames(),
                remoteAudio.callbacks(),
                CallReport.pair(pair),
                failure,
                endedBy);
    }

    /**
     * Hangs up: {@code hangup} to the other side (unless it already ended the call), tracks removed,
     * connection closed, then media stopped and the relay left. Bounded; a second call does nothing.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return; // closed already (a test that hangs up, then closes everything it opened)
        }
        try {
            loop.run(this::teardown).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable why =
                    e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            System.err.println("closing " + options.peer() + ": " + why.getMessage());
        } finally {
            channel.close();
            loop.close();
        }
    }

    /**
     * Hangs up now, on the loop: the ending's hang-up ({@code hangup} to the other side, the connection closed);
     * {@link #close()} afterwards stops the media and leaves the relay. Fails as the ending does (a TODO, say).
     */
    public CompletableFuture<Void> hangUp() {
        return loop.run(this::endHere);
    }

    private void teardown() {
        try {
            endHere();
        } finally {
            if (media != null) {
                media.close();
            }
        }
    }

    private void endHere() {
        fail(new IllegalStateException("closed before the call was up"));
        if (!otherEnded.isDone() && channel.client().isDone()) {
            closeConnection(() -> ending.hangUp());
        } else { // never joined (nobody to tell), or the other side ended it (closed then)
            closeConnection(() -> HangUp.close(peerConnection));
        }
    }

    private void closeQuietly() {
        try {
            HangUp.close(peerConnection);
        } catch (RuntimeException | Error closedAlready) {
            // the ending closed it before it failed: every call on a closed connection throws
        }
    }

    /**
     * On the loop; once the connection is closed. {@code close} is the ending's hang-up or its answer to the other
     * side's; when it leaves the connection open (an ending that does nothing), that is recorded as {@link #LEFT_OPEN}
     * instead of {@link #CLOSED}, and the connection stays open until a later hang-up here closes it ({@link
     * #close()} does, when the program ends the call).
     */
    private void closeConnection(Runnable close) {
        if (peerConnection == null || connectionClosed) {
            return;
        }
        connectionClosed = true;
        if (HangUp.isClosed(peerConnection)) { // closed by someone else (a program ending a call left open)
            return;
        }
        timeline.record(EventKind.CALL, HANGING_UP);
        try {
            close.run();
        } catch (RuntimeException | Error e) {
            // The ending failed (an unfinished exercise, say): the connection is closed all the same, so nothing
            // stays open, and the failure goes on to whoever hung up.
            closeQuietly();
            throw e;
        } finally {
            if (!HangUp.isClosed(peerConnection)) {
                connectionClosed = false; // the next hang-up closes it
                timeline.record(EventKind.CALL, LEFT_OPEN);
            } else {
                // The connection's last events (negotiation-needed, each state CLOSED) were queued on this loop
                // during the close: "closed" comes after them.
                loop.execute(() -> timeline.record(EventKind.CALL, CLOSED));
            }
        }
    }
}
