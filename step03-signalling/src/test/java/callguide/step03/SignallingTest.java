package callguide.step03;

import static callguide.testkit.TimelineAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callguide.kit.Todo;
import callguide.kit.media.Devices;
import callguide.kit.media.LocalMedia;
import callguide.kit.media.MediaConstraints;
import callguide.kit.rtc.EventLoop;
import callguide.kit.signal.CallOutcome;
import callguide.kit.signal.Envelope;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.RelayClient;
import callguide.kit.signal.RelayException;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import callguide.relay.Relay;
import callguide.step01.UserMedia;
import callguide.testkit.RelayExtension;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("step03 announcing the call through the relay")
class SignallingTest {
    @RegisterExtension
    static final RelayExtension RELAY = RelayExtension.signallingOnly();
    /** A relay that refuses WebSocket upgrades: a network where WebSockets fail. */
    @RegisterExtension
    static final RelayExtension POLLING_ONLY = RelayExtension.signallingOnly(c -> c.withWebSocketEnabled(false));

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger ROOMS = new AtomicInteger();

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private String room;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private String newRoom() {
        room = "step03-" + ROOMS.incrementAndGet();
        return room;
    }

    private static URI uri(Relay r) {
        return URI.create(r.url());
    }

    /** A peer played by the test: records what it receives, answers as told. */
    private final class TestPeer {
        final List<Envelope> received = new CopyOnWriteArrayList<>();
        final RelayClient client;

        TestPeer(Relay r, String peer, String answerToCall) throws Exception {
            CompletableFuture<RelayClient> self = new CompletableFuture<>();
            client = RelayClient.webSocket(uri(r), room, peer, message -> {
                        received.add(message);
                        if (answerToCall != null && MessageTypes.CALL.equals(message.type())) {
                            self.thenAccept(c -> c.send(answerToCall, Map.of()));
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
            self.complete(client);
            toClose.add(client);
        }

        List<String> types() {
            return received.stream().map(Envelope::type).toList();
        }
    }

    /** A peer of the learner's code: its own loop, timeline and signalling channel. */
    private final class LearnerPeer {
        final EventLoop loop;
        final CallTimeline timeline;
        final SignallingChannel channel;
        RelayClient client;

        LearnerPeer(String peer) {
            loop = new EventLoop(peer);
            timeline = new CallTimeline(peer);
            channel = new SignallingChannel(loop, timeline);
            toClose.add(loop);
            toClose.add(channel);
        }

        /** Joins with the kit's WebSocket client, so tasks 2 and 3 do not depend on task 1. */
        LearnerPeer joinOverWebSocket(Relay r) throws Exception {
            client = RelayClient.webSocket(uri(r), room, loop.name(), channel.listener())
                    .get(10, TimeUnit.SECONDS);
            channel.attach(client);
            return this;
        }

        /** Joins with the learner's RelayConnection (task 1). */
        LearnerPeer joinWithRelayConnection(Relay r) throws Exception {
            client = RelayConnection.connect(uri(r), room, loop.name(), channel.listener())
                    .get(10, TimeUnit.SECONDS);
            assertThat(client)
                    .as("RelayConnection.connect must complete with the connected client")
                    .isNotNull();
            channel.attach(client);
            return this;
        }

        <T> CompletableFuture<T> onLoop(java.util.concurrent.Callable<T> task) {
            return loop.submit(task);
        }
    }

    @Nested
    @Tag("task:1")
    @DisplayName("task 1: joining the room")
    class JoiningTheRoom {

        @Test
        @DisplayName("joins over WebSocket when the relay allows it")
        void webSocketFirst() {
            newRoom();
            CompletableFuture<RelayClient> joined =
                    RelayConnection.connect(uri(RELAY.relay()), room, "alice", message -> {});

            assertThat(joined)
                    .as("RelayConnection.connect to a relay that takes WebSockets")
                    .succeedsWithin(WAIT)
                    .satisfies(client -> {
                        toClose.add(client);
                        assertThat(client.transport())
                                .as("the transport chosen")
                                .isEqualTo(RelayClient.Transport.WEBSOCKET);
                        assertThat(client.welcome().room())
                                .as("the room in the relay's welcome")
                                .isEqualTo(room);
                    });
        }

        @Test
        @DisplayName("falls back to HTTP long polling where WebSockets fail")
        void pollingFallback() {
            newRoom();
            CompletableFuture<RelayClient> joined =
                    RelayConnection.connect(uri(POLLING_ONLY.relay()), room, "alice", message -> {});

            assertThat(joined)
                    .as("RelayConnection.connect to a relay whose WebSocket upgrade fails")
                    .succeedsWithin(WAIT)
                    .satisfies(client -> {
                        toClose.add(client);
                        assertThat(client.transport())
                                .as("the transport after the WebSocket failed")
                                .isEqualTo(RelayClient.Transport.LONG_POLLING);
                    });
        }

        @Test
        @DisplayName("passes the relay's refusal on instead of retrying: a full room is room-full")
        void refusalIsNotRetried() throws Exception {
            newRoom();
            new TestPeer(RELAY.relay(), "alice", null);
            new TestPeer(RELAY.relay(), "bob", null);

            CompletableFuture<RelayClient> third =
                    RelayConnection.connect(uri(RELAY.relay()), room, "carol", message -> {});

            assertThat(third)
                    .as("joining a room that already holds two peers")
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingRootCause()
                    .isInstanceOf(RelayException.class)
                    .withMessageContaining("room-full");
        }
    }

    @Nested
    @Tag("task:2")
    @DisplayName("task 2: announcing the call")
    class AnnouncingTheCall {

        private CompletableFuture<CallOutcome> announceFrom(LearnerPeer caller, Duration timeout) {
            return caller.onLoop(() -> new CallAnnouncement(caller.channel).announce(timeout))
                    .thenCompose(f -> f);
        }

        @Test
        @DisplayName("the call reaches the callee, and its accept ends the announcement ACCEPTED")
        void accepted() throws Exception {
            newRoom();
            TestPeer callee = new TestPeer(RELAY.relay(), "callee", MessageTypes.ACCEPT);
            LearnerPeer caller = new LearnerPeer("caller").joinOverWebSocket(RELAY.relay());

            assertThat(announceFrom(caller, WAIT))
                    .as("the outcome when the callee accepts")
                    .succeedsWithin(WAIT)
                    .isEqualTo(CallOutcome.ACCEPTED);
            assertThat(callee.types()).as("messages the callee received").containsSubsequence(MessageTypes.CALL);
            assertThat(callee.received.stream()
                            .filter(m -> m.type().equals(MessageTypes.CALL))
                            .findFirst()
                            .orElseThrow()
                            .from())
                    .as("the call's sender, as the relay stamped it")
                    .isEqualTo("caller");
        }

        @Test
        @DisplayName("a decline ends the announcement DECLINED")
        void declined() throws Exception {
            newRoom();
            new TestPeer(RELAY.relay(), "callee", MessageTypes.DECLINE);
            LearnerPeer caller = new LearnerPeer("caller").joinOverWebSocket(RELAY.relay());

            assertThat(announceFrom(caller, WAIT))
                    .as("the outcome when the callee declines")
                    .succeedsWithin(WAIT)
                    .isEqualTo(CallOutcome.DECLINED);
        }

        @Test
        @DisplayName("calling into an empty room ends the announcement NO_CALLEE")
        void nobodyToCall() throws Exception {
            newRoom();
            LearnerPeer caller = new LearnerPeer("caller").joinOverWebSocket(RELAY.relay());

            assertThat(announceFrom(caller, WAIT))
                    .as("the outcome when the relay answers no-such-peer")
                    .succeedsWithin(WAIT)
                    .isEqualTo(CallOutcome.NO_CALLEE);
        }

        @Test
        @DisplayName("a callee that never answers ends the announcement NO_ANSWER when the time is up")
        void noAnswer() throws Exception {
            newRoom();
            new TestPeer(RELAY.relay(), "callee", null);
            LearnerPeer caller = new LearnerPeer("caller").joinOverWebSocket(RELAY.relay());

            assertThat(announceFrom(caller, Duration.ofMillis(300)))
                    .as("the outcome after 300 ms of silence")
                    .succeedsWithin(WAIT)
                    .isEqualTo(CallOutcome.NO_ANSWER);
        }
    }

    @Nested
    @Tag("task:3")
    @DisplayName("task 3: answering the call")
    class AnsweringTheCall {

        @Test
        @DisplayName("the callee gets its media and peer ready before it accepts")
        void preparesBeforeAccepting() throws Exception {
            newRoom();
            LearnerPeer callee = new LearnerPeer("callee").joinOverWebSocket(RELAY.relay());
            CompletableFuture<Void> prepareCalled = new CompletableFuture<>();
            CompletableFuture<Object> prepared = new CompletableFuture<>();
            CompletableFuture<Void> answered = callee.onLoop(
                            () -> new CallAnnouncement(callee.channel).answerWhenCalled(() -> {
                                prepareCalled.complete(null);
                                return prepared;
                            }))
                    .thenCompose(f -> f);
            TestPeer caller = new TestPeer(RELAY.relay(), "caller", null);

            caller.client.send(MessageTypes.CALL, Map.of());
            // Either prepare() is called, or answerWhenCalled already failed: then say why at once.
            assertThat(CompletableFuture.anyOf(prepareCalled, answered))
                    .as("prepare() called when the call arrives")
                    .succeedsWithin(WAIT);
            assertThat(prepareCalled)
                    .as("prepare() called when the call arrives")
                    .isDone();
            LocalMedia media = UserMedia.getUserMedia(Devices.synthetic(), MediaConstraints.guide(), false);
            toClose.add(media);
            callee.timeline.record(EventKind.CALL, "media and peer ready");
            prepared.complete(media);

            assertThat(answered)
                    .as("answerWhenCalled completes once the accept is sent")
                    .succeedsWithin(WAIT);
            await("the caller receives accept")
                    .atMost(WAIT)
                    .until(() -> caller.types().contains(MessageTypes.ACCEPT));
            assertThat(callee.timeline)
                    .hasInOrder(EventKind.CALL, "media and peer ready", EventKind.MESSAGE_SENT, MessageTypes.ACCEPT);
            assertThat(callee.timeline)
                    .values(EventKind.MESSAGE_SENT)
                    .as("what the callee sent")
                    .containsExactly(MessageTypes.ACCEPT);
        }

        @Test
        @DisplayName("a callee that cannot prepare declines, and says so")
        void declinesWhenPrepareFails() throws Exception {
            newRoom();
            LearnerPeer callee = new LearnerPeer("callee").joinOverWebSocket(RELAY.relay());
            CompletableFuture<Void> answered = callee.onLoop(() -> new CallAnnouncement(callee.channel)
                            .answerWhenCalled(
                                    () -> CompletableFuture.failedFuture(new IllegalStateException("no camera"))))
                    .thenCompose(f -> f);
            TestPeer caller = new TestPeer(RELAY.relay(), "caller", null);

            caller.client.send(MessageTypes.CALL, Map.of());

            await("the caller receives decline")
                    .atMost(WAIT)
                    .failFast("answerWhenCalled stopped at an unfinished task", () -> unfinished(answered))
                    .until(() -> caller.types().contains(MessageTypes.DECLINE));
            assertThat(caller.types()).as("the caller never receives accept").doesNotContain(MessageTypes.ACCEPT);
            assertThat(answered).as("answerWhenCalled when prepare failed").failsWithin(WAIT);
        }
    }

    @Nested
    @Tag("task:step") // joining, announcing and answering: every task of the step
    @DisplayName("the whole announcement")
    class TheWholeAnnouncement {

        @Test
        @DisplayName("with WebSockets blocked, completes over long polling with nothing lost or reordered")
        void overLongPolling() throws Exception {
            newRoom();
            LearnerPeer callee = new LearnerPeer("callee").joinWithRelayConnection(POLLING_ONLY.relay());
            List<Integer> numbers = new CopyOnWriteArrayList<>();
            callee.channel.on(
                    "x-number",
                    message -> numbers.add(message.payload().path("n").asInt()));
            CompletableFuture<Void> answered = callee.onLoop(() -> new CallAnnouncement(callee.channel)
                            .answerWhenCalled(() -> CompletableFuture.completedFuture("ready")))
                    .thenCompose(f -> f);
            LearnerPeer caller = new LearnerPeer("caller").joinWithRelayConnection(POLLING_ONLY.relay());

            CompletableFuture<CallOutcome> outcome = caller.onLoop(
                            () -> new CallAnnouncement(caller.channel).announce(WAIT))
                    .thenCompose(f -> f);
            assertThat(outcome)
                    .as("the outcome over long polling")
                    .succeedsWithin(WAIT)
                    .isEqualTo(CallOutcome.ACCEPTED);
            assertThat(answered).as("the callee's answer over long polling").succeedsWithin(WAIT);
            assertThat(caller.client.transport())
                    .as("the caller's transport")
                    .isEqualTo(RelayClient.Transport.LONG_POLLING);

            IntStream.range(0, 100).forEach(n -> caller.channel.send("x-number", Map.of("n", n)));
            await("100 numbered messages at the callee").atMost(WAIT).until(() -> numbers.size() >= 100);
            assertThat(numbers)
                    .as("numbered messages in the order sent, none lost, none twice")
                    .containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
        }
    }

    /** Whether {@code future} failed at a TODO of the exercise (nothing to wait for then). */
    private static boolean unfinished(CompletableFuture<?> future) {
        return future.isCompletedExceptionally()
                && future.handle((value, error) -> Todo.in(error).isPresent()).getNow(false);
    }
}
