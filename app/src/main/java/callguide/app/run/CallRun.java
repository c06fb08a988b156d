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
import callguide.call.Trickle;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A whole call between two {@link CallPeer}s in this JVM, through a relay started here, printing
 * the events of the kinds a step is about. Steps 04, 05 and 06 run this way.
 */
final class CallRun {

    /** How long a side waits for the call to come up. */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The same in a run that shows a call failing: long enough for a call that would come up, no longer. */
    private static final Duration FAILING_TIMEOUT = Duration.ofSeconds(5);

    private CallRun() {}

    /**
     * Runs the call under the conditions {@code args} ask for ({@link Conditions}); {@code whenUp} gets both peers once
     * both reports are in, before they hang up.
     */
    static void run(String[] args, Set<EventKind> shown, BiConsumer<CallPeer, CallPeer> whenUp) throws Exception {
        run(args, shown, Variant.NONE, whenUp);
    }

    /**
     * How a {@code --without} run changes the call around the steps' code: step05's part, each side's options, and
     * whether a call
     * that does not come up is what the run means to show (then it prints how far each side got, and ends well).
     */
    record Variant(
            Trickle trickle,
            UnaryOperator<CallPeer.Options> caller,
            UnaryOperator<CallPeer.Options> callee,
            boolean mayFail) {
        static final Variant NONE =
                new Variant(FiveSteps.TRICKLE, UnaryOperator.identity(), UnaryOperator.identity(), false);
    }

    /** The same, with {@code variant}'s changes ({@code --without IDEA}, which {@link StepRun#without} reads). */
    static void run(String[] args, Set<EventKind> shown, Variant variant, BiConsumer<CallPeer, CallPeer> whenUp)
            throws Exception {
        String[] flags = java.util.Arrays.copyOf(Conditions.FLAGS, Conditions.FLAGS.length + 1);
        flags[flags.length - 1] = StepRun.WITHOUT;
        run(
                Conditions.from(Flags.parse(args, flags)),
                new Setup(UnaryOperator.identity(), Setup.LOOPBACK, variant),
                e -> shown.contains(e.kind()),
                (caller, callee, link) -> whenUp.accept(caller, callee));
    }

    /**
     * What a step changes about the call besides a variant: the relay's settings and the peers' ICE profile; {@code
     * failing}, asked once the profile is chosen, whether the call is to show a failure, as {@link Variant#mayFail}.
     */
    record Setup(
            UnaryOperator<RelayConfig> relay,
            Function<Relay, IceProfile> profile,
            Variant variant,
            java.util.function.BooleanSupplier failing) {
        static final Function<Relay, IceProfile> LOOPBACK = relay -> IceProfile.loopback(relay.stunPort());

        Setup(UnaryOperator<RelayConfig> relay, Function<Relay, IceProfile> profile, Variant variant) {
            this(relay, profile, variant, () -> variant.mayFail());
        }

        /** The same, showing a call that does not come up whenever {@code failing} says so. */
        Setup expectingFailure(java.util.function.BooleanSupplier failing) {
            return new Setup(relay, profile, variant, () -> variant.mayFail() || failing.getAsBoolean());
        }

        /** The relay's defaults, the loopback profile, and {@code resilience} (step06's classes) on both sides. */
        static Setup with(Resilience resilience) {
            return with(UnaryOperator.identity(), LOOPBACK, resilience);
        }

        static Setup with(
                UnaryOperator<RelayConfig> relay, Function<Relay, IceProfile> profile, Resilience resilience) {
            UnaryOperator<CallPeer.Options> both = options -> options.withResilience(resilience);
            return new Setup(relay, profile, new Variant(FiveSteps.TRICKLE, both, both, false));
        }
    }

    /** What a step's run does once both sides are up: {@code link} is the call's, or null without one. */
    @FunctionalInterface
    interface Up {
        void accept(CallPeer caller, CallPeer callee, Link link) throws Exception;
    }

    /** The same, with {@code setup}'s relay, profile and variant; {@code shown} picks the events printed. */
    static void run(Conditions conditions, Setup setup, Predicate<TimelineEvent> shown, Up whenUp) throws Exception {
        Variant variant = setup.variant();
        // Once a failed call's verdict is printed, what its sides still record is the run closing them (an error of a
        // call already given up, a hang-up, the CLOSED states): left out, so the verdict stays the call's last word.
        AtomicBoolean judged = new AtomicBoolean();
        Predicate<TimelineEvent> live = event -> !judged.get() && shown.test(event);
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
            boolean mayFail = setup.failing().getAsBoolean();
            Duration timeout = mayFail ? FAILING_TIMEOUT : TIMEOUT;
            try (CallPeer callee = peer(Role.CALLEE, uri, room, profile, live, variant, timeout, link);
                    CallPeer caller = peer(Role.CALLER, uri, room, profile, live, variant, timeout, link)) {
                CompletableFuture<CallReport> calleeReport = callee.start();
                CompletableFuture<CallReport> callerReport = caller.start();
                // One side failing (a TODO, say) ends the run: the other side's report is then taken as it is.
                CompletableFuture<Void> settled = new CompletableFuture<>();
                callerReport.thenAcceptBoth(calleeReport, (a, b) -> settled.complete(null));
                for (CompletableFuture<CallReport> report : List.of(callerReport, calleeReport)) {
                    report.thenAccept(r -> {
                        if (r.failure() != null) {
                            settled.complete(null);
                        }
                    });
                }
                StepRun.await(settled, 25, "both sides' reports");
                if (mayFail) {
                    // The other side, with the same timeout, mostly gives up a moment later: its own report then,
                    // rather than "no report" and its error after the verdict. Bounded: it may never report.
                    CompletableFuture.allOf(callerReport, calleeReport)
                            .completeOnTimeout(null, 1, TimeUnit.SECONDS)
                            .exceptionally(error -> null)
                            .join();
                }
                CallReport callerResult = callerReport.getNow(null);
                CallReport calleeResult = calleeReport.getNow(null);
                boolean failed = callerResult == null
                        || calleeResult == null
                        || callerResult.failure() != null
                        || calleeResult.failure() != null;
                if (mayFail && failed) {
                    judged.set(true);
                    for (CallPeer side : new CallPeer[] {caller, callee}) {
                        CallReport report = side == caller ? callerResult : calleeResult;
                        say(
                                "%s: %s; signalling %s, ICE %s",
                                side.timeline().side(),
                                report == null ? "no report" : report.failure() == null ? "up" : report.failure(),
                                side.timeline().values(EventKind.SIGNALING_STATE),
                                side.timeline().values(EventKind.ICE_CONNECTION_STATE));
                    }
                    if (link != null) {
                        say("link: %s", link.counters());
                    }
                    String why = conditions.explainFailure();
                    if (why != null) {
                        why.lines().forEach(line -> say("%s", line));
                    }
                    return;
                }
                for (CallReport report : new CallReport[] {callerResult, calleeResult}) {
                    if (report != null && report.failure() != null) {
                        String why = conditions.explainFailure();
                        throw new IllegalStateException(
                                report.side() + ": " + report.failure() + (why == null ? "" : "\n" + why),
                                todoOf(caller, callee));
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
            pairs[i][1] = Stats.resolveRemote(pairs[i][1], pairs[1 - i][0]);
        }
        for (int i = 0; i < 2; i++) {
            say(
                    "%s: %d video frames, %d audio callbacks received; selected pair %s <-> %s",
                    peers[i].timeline().side(),
                    peers[i].remoteVideo().frames(),
                    peers[i].remoteAudio().callbacks(),
                    pairs[i][0],
                    pairs[i][1]);
        }
        Stats.prflxNote(pairs[0][0], pairs[0][1], pairs[1][0], pairs[1][1]).ifPresent(note -> say("(%s)", note));
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
        if (span.isZero()) { // a link that shapes nothing (direct=off alone): its counters are all there is to see
            say("link: %s", link.counters());
            return;
        }
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
            Predicate<TimelineEvent> shown,
            Variant variant,
            Duration timeout,
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
                (role == Role.CALLER ? variant.caller() : variant.callee())
                        .apply(CallPeer.Options.of(role, relay, room, role.label(), profile, variant.trickle())
                                .withTimeout(timeout)),
                timeline);
    }
}
