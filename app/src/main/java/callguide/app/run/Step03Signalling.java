package callguide.app.run;

import static callguide.app.run.StepRun.say;

import callguide.kit.rtc.EventLoop;
import callguide.kit.signal.CallOutcome;
import callguide.kit.signal.RelayClient;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import callguide.step03.CallAnnouncement;
import callguide.step03.RelayConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code ./workshop run 03 [--relay URL] [--polling] [--without fallback]}: a caller and a callee join a room and the
 * call is announced and accepted, each message printed as it crosses the relay. Without
 * {@code --relay} a relay is started here; {@code --polling} starts it with WebSockets refused,
 * so the join falls back to long polling.
 */
public final class Step03Signalling {

    private Step03Signalling() {}

    public static void main(String[] args) {
        StepRun.main("step03", args, Step03Signalling::run);
    }

    /** A join that tries WebSockets only: what {@code --without fallback} runs. */
    static final StepRun.Idea FALLBACK = new StepRun.Idea(
            "fallback", "each peer joins over WebSocket only, through a relay that refuses WebSocket upgrades");

    private static void run(String[] args) throws Exception {
        List<String> flags = List.of(args);
        boolean webSocketOnly = StepRun.without(args, FALLBACK).isPresent();
        boolean polling = webSocketOnly || flags.contains("--polling");
        int relayAt = flags.indexOf("--relay");
        Relay own = null;
        URI relay;
        if (relayAt >= 0 && relayAt + 1 < args.length) {
            relay = URI.create(args[relayAt + 1]);
        } else {
            own = Relay.start(
                    RelayConfig.defaults().withPort(0).withStunPort(-1).withWebSocketEnabled(!polling));
            relay = URI.create(own.url());
            say("relay started on %s%s", own.url(), polling ? " with WebSockets refused" : "");
        }
        String room = "run03-" + Long.toHexString(System.nanoTime());
        CompletableFuture<Void> failure = new CompletableFuture<>();
        try {
            Peer callee = join("callee", relay, room, webSocketOnly, failure);
            if (callee == null) {
                say("no call: behind a proxy that drops WebSocket upgrades, a peer that only tries WebSockets never "
                        + "reaches the room");
                return;
            }
            CompletableFuture<Void> answered = StepRun.await(
                    callee.loop()
                            .submit(() -> new CallAnnouncement(callee.channel()).answerWhenCalled(() -> {
                                say("callee: called; getting media and peer ready (here: nothing to prepare)");
                                return CompletableFuture.completedFuture(null);
                            })),
                    5,
                    "callee ready");
            Peer caller = join("caller", relay, room, false, failure);
            CompletableFuture<CallOutcome> outcome = StepRun.await(
                    caller.loop().submit(() -> new CallAnnouncement(caller.channel()).announce(Duration.ofSeconds(5))),
                    5,
                    "announcement");
            CallOutcome result = StepRun.await(
                    outcome.applyToEither(failure.thenApply(x -> (CallOutcome) null), o -> o), 10, "outcome");
            StepRun.await(answered, 5, "callee's answer");
            say("outcome: %s", result);
        } finally {
            if (own != null) {
                own.close();
            }
        }
    }

    /** A peer of this run: its thread and its side of the signalling. */
    private record Peer(EventLoop loop, SignallingChannel channel) {}

    /** The peer, joined; {@code null} when {@code webSocketOnly} and the WebSocket failed (said why). */
    private static Peer join(
            String peer, URI relay, String room, boolean webSocketOnly, CompletableFuture<Void> failure)
            throws Exception {
        EventLoop loop = new EventLoop(peer);
        StepRun.failOnLoopError(loop, failure);
        SignallingChannel channel = new SignallingChannel(loop, StepRun.printed(new CallTimeline(peer)));
        RelayClient client;
        if (webSocketOnly) {
            try {
                client = StepRun.await(
                        RelayClient.webSocket(relay, room, peer, channel.listener()), 10, peer + " joining");
            } catch (java.util.concurrent.ExecutionException e) {
                say("%s could not join over WebSocket: %s", peer, e.getCause().getMessage());
                loop.close();
                return null;
            }
        } else {
            client = StepRun.await(
                    RelayConnection.connect(relay, room, peer, channel.listener()), 10, peer + " joining");
        }
        channel.attach(client);
        say(
                "%s joined room %s over %s; already there: %s",
                peer, room, client.transport(), client.welcome().peers());
        return new Peer(loop, channel);
    }
}
