package callguide.app.run;

import static callguide.app.run.StepRun.say;

import callguide.app.Conditions;
import callguide.app.FiveSteps;
import callguide.app.Flags;
import callguide.app.QualityWatch;
import callguide.call.CallPeer;
import callguide.call.CallReport;
import callguide.call.Role;
import callguide.kit.ice.IceProfile;
import callguide.kit.net.Link;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A whole call between two {@link CallPeer}s in this JVM, through a relay started here, printing
 * the events of the kinds a step is about. Steps 04 and 05 run this way.
 */
final class CallRun {

    private CallRun() {}

    /**
     * Runs the call under the conditions {@code args} ask for ({@link Conditions}); {@code whenUp} gets both peers once
     * both reports are in, before they hang up.
     */
    static void run(String[] args, Set<EventKind> shown, BiConsumer<CallPeer, CallPeer> whenUp) throws Exception {
        Conditions conditions = Conditions.from(Flags.parse(args, Conditions.FLAGS));
        try (Link link = conditions.startLink();
                Relay relay = Relay.start(
                        conditions.onRelay(RelayConfig.defaults().withPort(0).withStunPort(0), link))) {
            say("relay on %s, STUN on udp 127.0.0.1:%d", relay.url(), relay.stunPort());
            conditions.describe().forEach(line -> say("%s", line));
            if (link != null) {
                link.onChange(change -> say("%-7s %-22s %s", "link", EventKind.LINK.label(), change));
            }
            URI uri = URI.create(relay.url());
            String room = "run-" + Long.toHexString(System.nanoTime());
            IceProfile profile = IceProfile.loopback(relay.stunPort());
            try (CallPeer callee = peer(Role.CALLEE, uri, room, profile, shown, link);
                    CallPeer caller = peer(Role.CALLER, uri, room, profile, shown, link)) {
                CompletableFuture<CallReport> calleeReport = callee.start();
                CallReport callerResult = StepRun.await(caller.start(), 25, "caller's report");
                CallReport calleeResult = StepRun.await(calleeReport, 25, "callee's report");
                for (CallReport report : new CallReport[] {callerResult, calleeResult}) {
                    if (report.failure() != null) {
                        String why = conditions.explainFailure();
                        throw new IllegalStateException(
                                report.side() + ": " + report.failure() + (why == null ? "" : "\n" + why),
                                todoOf(caller, callee));
                    }
                }
                if (link != null) {
                    watch(link, conditions.watchFor(), caller, callee);
                }
                whenUp.accept(caller, callee);
            }
        }
    }

    /** The TODO behind a failed call, if a peer's code stopped at one: it becomes the run's message. */
    private static Throwable todoOf(CallPeer... peers) {
        for (CallPeer peer : peers) {
            for (Throwable failure : peer.loop().failures()) {
                if (callguide.kit.Todo.in(failure).isPresent()) {
                    return failure;
                }
            }
        }
        return null;
    }

    /**
     * Keeps the call up for {@code span} through {@code link}, printing each side's frames and call quality (from
     * stats) every second, then what the link did.
     */
    private static void watch(Link link, Duration span, CallPeer... peers) throws Exception {
        say("watching the call through the link for %d s (frames received in each second; stats)", span.toSeconds());
        QualityWatch.watch(
                span,
                new CompletableFuture<>(),
                (peer, line) -> say("%-7s %-22s %s", peer.timeline().side(), "quality", line),
                peers);
        say("link: %s", link.counters());
    }

    private static CallPeer peer(
            Role role, URI relay, String room, IceProfile profile, Set<EventKind> shown, Link link) {
        CallTimeline timeline = new CallTimeline(role.label());
        if (link != null) {
            link.record(timeline);
        }
        timeline.addListener(event -> {
            if (shown.contains(event.kind())) {
                say("%-7s %-22s %s", event.side(), event.kind().label(), event.value());
            }
        });
        return new CallPeer(
                CallPeer.Options.of(role, relay, room, role.label(), profile, FiveSteps.TRICKLE)
                        .withTimeout(Duration.ofSeconds(20)),
                timeline);
    }
}
