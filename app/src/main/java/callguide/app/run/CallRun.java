package callguide.app.run;

import static callguide.app.run.StepRun.say;

import callguide.app.Conditions;
import callguide.app.FiveSteps;
import callguide.app.Flags;
import callguide.app.QualityWatch;
import callguide.call.CallPeer;
import callguide.call.CallReport;
import callguide.call.Resilience;
import callguide.call.Role;
import callguide.kit.ice.IceProfile;
import callguide.kit.net.Link;
import callguide.kit.rtc.Stats;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import callguide.kit.timeline.TimelineEvent;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A whole call between two {@link CallPeer}s in this JVM, through a relay started here, printing
 * the events of the kinds a step is about. Steps 04, 05 and 06 run this way.
 */
final class CallRun {

    private CallRun() {}

    /** What a step changes about the call: the relay's settings, the peers' ICE profile, step06's classes. */
    record Setup(UnaryOperator<RelayConfig> relay, Function<Relay, IceProfile> profile, Resilience resilience) {
        /** Steps 04 and 05: the relay's defaults, the loopback profile, no step06 classes. */
        static final Setup PLAIN =
                new Setup(UnaryOperator.identity(), relay -> IceProfile.loopback(relay.stunPort()), Resilience.PLAIN);
    }

    /**
     * Runs the call under the conditions {@code args} ask for ({@link Conditions}); {@code whenUp} gets both peers once
     * both reports are in, before they hang up.
     */
    static void run(String[] args, Set<EventKind> shown, BiConsumer<CallPeer, CallPeer> whenUp) throws Exception {
        run(
                Conditions.from(Flags.parse(args, Conditions.FLAGS)),
                Setup.PLAIN,
                e -> shown.contains(e.kind()),
                (caller, callee, link) -> whenUp.accept(caller, callee));
    }

    /** What a step's run does once both sides are up: {@code link} is the call's, or null without one. */
    @FunctionalInterface
    interface Up {
        void accept(CallPeer caller, CallPeer callee, Link link) throws Exception;
    }

    /** The same, with {@code setup}'s relay, profile and step06 classes. */
    static void run(Conditions conditions, Setup setup, Predicate<TimelineEvent> shown, Up whenUp) throws Exception {
        try (Link link = conditions.startLink();
                Relay relay = Relay.start(setup.relay()
                        .apply(conditions.onRelay(
                                RelayConfig.defaults().withPort(0).withStunPort(0), link)))) {
            say("relay on %s, STUN on udp 127.0.0.1:%d", relay.url(), relay.stunPort());
            conditions.describe().forEach(line -> say("%s", line));
            if (link != null) {
                link.onChange(change -> say("%-7s %-22s %s", "link", EventKind.LINK.label(), change));
            }
            URI uri = URI.create(relay.url());
            String room = "run-" + Long.toHexString(System.nanoTime());
            IceProfile profile = setup.profile().apply(relay);
            try (CallPeer callee = peer(Role.CALLEE, uri, room, profile, setup.resilience(), shown, link);
                    CallPeer caller = peer(Role.CALLER, uri, room, profile, setup.resilience(), shown, link)) {
                CompletableFuture<CallReport> calleeReport = callee.start();
                CompletableFuture<CallReport> callerReport = caller.start();
                // A side that fails (a TODO, say) ends the run at once, not when the other side times out.
                StepRun.await(CompletableFuture.anyOf(callerReport, calleeReport), 25, "report");
                for (CompletableFuture<CallReport> done : List.of(callerReport, calleeReport)) {
                    CallReport report = done.getNow(null);
                    if (report != null && report.failure() != null) {
                        throw failed(conditions, report, caller, callee);
                    }
                }
                CallReport callerResult = StepRun.await(callerReport, 25, "caller's report");
                CallReport calleeResult = StepRun.await(calleeReport, 25, "callee's report");
                for (CallReport report : new CallReport[] {callerResult, calleeResult}) {
                    if (report.failure() != null) {
                        throw failed(conditions, report, caller, callee);
                    }
                }
                if (link != null) {
                    watch(link, conditions.watchFor(), caller, callee);
                }
                whenUp.accept(caller, callee, link);
            }
        }
    }

    /** Each side's frames and audio received, and its selected candidate pair from stats. */
    static void printMedia(CallPeer caller, CallPeer callee) {
        CallPeer[] peers = {caller, callee};
        String[][] pairs = new String[2][];
        for (int i = 0; i < 2; i++) {
            try {
                pairs[i] = Stats.selectedPair(
                                Stats.report(peers[i].peerConnection()).get(5, TimeUnit.SECONDS),
                                peers[i].timeline().values(EventKind.CANDIDATE_APPLIED))
                        .map(p -> new String[] {p.local().toString(), p.remote().toString()})
                        .orElse(new String[] {"none", "none"});
            } catch (Exception e) {
                pairs[i] = new String[] {"unknown (" + e.getMessage() + ")", "unknown"};
            }
        }
        for (int i = 0; i < 2; i++) {
            String remote = Stats.resolveRemote(pairs[i][1], pairs[1 - i][0]);
            say(
                    "%s: %d video frames, %d audio callbacks received; selected pair %s <-> %s",
                    peers[i].timeline().side(),
                    peers[i].remoteVideo().frames(),
                    peers[i].remoteAudio().callbacks(),
                    pairs[i][0],
                    remote);
        }
    }

    private static IllegalStateException failed(
            Conditions conditions, CallReport report, CallPeer caller, CallPeer callee) {
        String why = conditions.explainFailure();
        return new IllegalStateException(
                report.side() + ": " + report.failure() + (why == null ? "" : "\n" + why), todoOf(caller, callee));
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
            Role role,
            URI relay,
            String room,
            IceProfile profile,
            Resilience resilience,
            Predicate<TimelineEvent> shown,
            Link link) {
        CallTimeline timeline = new CallTimeline(role.label());
        if (link != null) {
            link.record(timeline);
        }
        timeline.addListener(event -> {
            if (shown.test(event)) {
                say("%-7s %-22s %s", event.side(), event.kind().label(), event.value());
            }
        });
        return new CallPeer(
                CallPeer.Options.of(role, relay, room, role.label(), profile, FiveSteps.TRICKLE)
                        .withTimeout(Duration.ofSeconds(20))
                        .withResilience(resilience),
                timeline);
    }
}
