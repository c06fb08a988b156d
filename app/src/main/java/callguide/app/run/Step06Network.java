package callguide.app.run;

import static callguide.app.run.StepRun.say;

import callguide.app.Conditions;
import callguide.app.Flags;
import callguide.call.CallPeer;
import callguide.call.Resilience;
import callguide.call.Role;
import callguide.kit.Todo;
import callguide.kit.ice.IceConfig;
import callguide.kit.ice.IceProfile;
import callguide.kit.net.LinkSettings;
import callguide.kit.rtc.HangUp;
import callguide.kit.signal.MessageTypes;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import callguide.kit.timeline.TimelineEvent;
import callguide.relay.Faults;
import callguide.relay.TurnSettings;
import callguide.step06.CallEnding;
import callguide.step06.IceRestart;
import callguide.step06.MessageMemory;
import callguide.step06.RelayOnly;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./workshop run 06 [--task N]}: a scenario per task, each a whole call in which the network or the relay
 * fights back: relay only through the relay's coturn (1), a cut path (2), a hang-up both ways (3), every message
 * twice (4). Each
 * prints its timeline, then what it shows; on an unfinished exercise it stops at the TODO with a line saying what
 * goes wrong without it, in the guide's words, and the next scenario runs.
 */
public final class Step06Network {
    /** The {@code call} event recorded once a scenario's step06 class stopped at its TODO. */
    static final String STOPPED = "stopped at TODO step06 task ";

    /**
     * One scenario's step06 hook: the learner's class is called until it throws its TODO; then that is recorded
     * once and the hook is left out from then on (as {@link Resilience#PLAIN} does), so the call goes on and
     * shows what goes wrong without it. The harness holds no answer: it only stops calling the learner's code.
     */
    static final class Hook {
        private final int task;
        private final java.util.concurrent.atomic.AtomicReference<Todo> todo =
                new java.util.concurrent.atomic.AtomicReference<>();

        Hook(int task) {
            this.task = task;
        }

        boolean stopped() {
            return todo.get() != null;
        }

        <T> T call(
                CallTimeline timeline, java.util.function.Supplier<T> learner, java.util.function.Supplier<T> absent) {
            return call(line -> timeline.record(EventKind.CALL, line), learner, absent);
        }

        /** The same before there is a call: the line that would go on a timeline is printed. */
        <T> T callBefore(java.util.function.Supplier<T> learner, java.util.function.Supplier<T> absent) {
            return call(line -> say("%s", line), learner, absent);
        }

        private <T> T call(
                java.util.function.Consumer<String> note,
                java.util.function.Supplier<T> learner,
                java.util.function.Supplier<T> absent) {
            if (stopped()) {
                return absent.get();
            }
            try {
                return learner.get();
            } catch (RuntimeException failure) {
                Todo stop =
                        Todo.in(failure).filter(t -> t.step().equals("step06")).orElseThrow(() -> failure);
                if (todo.compareAndSet(null, stop)) {
                    note.accept(STOPPED + task + ": from now on as if it were not there");
                }
                return absent.get();
            }
        }

        void run(CallTimeline timeline, Runnable learner) {
            call(
                    timeline,
                    () -> {
                        learner.run();
                        return null;
                    },
                    () -> null);
        }
    }

    private static Resilience restart(Hook hook) {
        return Resilience.PLAIN.withRestart((peerConnection, channel, loop, timeline, role) -> {
            IceRestart learner = new IceRestart(peerConnection, channel, loop, timeline, role == Role.CALLER);
            return state -> hook.run(timeline, () -> learner.onIceConnectionState(state));
        });
    }

    private static Resilience memory(Hook hook) {
        return Resilience.PLAIN.withMemory(timeline -> {
            MessageMemory learner = new MessageMemory(timeline);
            return message -> hook.call(timeline, () -> learner.isNew(message), () -> true);
        });
    }

    /** The caller's hang-up falls back to {@link Resilience#PLAIN}'s; the other side's ending is left out. */
    private static Resilience ending(Hook hook) {
        return Resilience.PLAIN.withEnding((peerConnection, channel, timeline) -> {
            CallEnding learner = new CallEnding(peerConnection, channel, timeline);
            Resilience.Ending plain = Resilience.PLAIN.ending().on(peerConnection, channel, timeline);
            return new Resilience.Ending() {
                @Override
                public void hangUp() {
                    if (!hook.call(
                            timeline,
                            () -> {
                                learner.hangUp();
                                return true;
                            },
                            () -> false)) {
                        plain.hangUp();
                    }
                }

                @Override
                public void otherEnded(String what) {
                    hook.run(timeline, () -> learner.otherEnded(what));
                }
            };
        });
    }

    private Step06Network() {}

    public static void main(String[] args) {
        StepRun.main("step06", args, Step06Network::run);
    }

    private interface Scenario {
        void run(Conditions conditions, Hook hook) throws Exception;
    }

    private record Task(int number, String title, String withoutIt, Scenario scenario) {}

    private static final List<Task> TASKS = List.of(
            new Task(
                    1,
                    "a restrictive network: relay only, through the relay's coturn",
                    "without relay candidates a network that lets nothing direct through connects nothing: the"
                            + " guide's \"provide your own TURN server alongside STUN\"",
                    Step06Network::relayOnly),
            new Task(
                    2,
                    "a cut path: the link cut mid-call, then healed; the caller restarts ICE",
                    "\"network conditions won't always be great\": after disconnected ICE may find its old path again"
                            + " by itself, after failed never; a restart (new candidates, new checks) brings the call"
                            + " back either way",
                    Step06Network::cutPath),
            new Task(
                    3,
                    "hang-up both ways: hangup, then close; the other side closes on it",
                    "a side that is not told, or does not listen, keeps a dead connection open until the program"
                            + " ends: the guide's connectionstatechange reaches \"closed\" only when the call is ended",
                    Step06Network::hangUp),
            new Task(
                    4,
                    "everything twice: the relay delivers every message twice and shuffles candidates",
                    "events \"can be triggered multiple times\", says the guide, and so can messages: a second offer"
                            + " or answer, applied in the wrong signalling state, fails the call",
                    Step06Network::everythingTwice));

    private static void run(String[] args) throws Exception {
        Map<String, String> flags = Flags.parse(args, "task", "faults", "link");
        long only = Flags.number(flags, "task", 0, 0, 4);
        Conditions conditions = Conditions.from(flags);
        Throwable first = null;
        for (Task task : TASKS) {
            if (only != 0 && task.number() != only) {
                continue;
            }
            say("== task %d: %s", task.number(), task.title());
            Hook hook = new Hook(task.number());
            try {
                task.scenario().run(conditions, hook);
                if (hook.stopped()) {
                    throw hook.todo.get();
                }
            } catch (Throwable failure) {
                java.util.Optional<Todo> todo = Todo.in(failure);
                say(
                        "task %d stopped: %s",
                        task.number(),
                        todo.map(Throwable::getMessage)
                                .orElseGet(() -> StepRun.unwrap(failure).getMessage()));
                if (hook.stopped() && todo.isEmpty()) { // what went wrong once the TODO was left out
                    say("that is what happens without step06 task %d", task.number());
                    todo = java.util.Optional.of(hook.todo.get());
                }
                if (todo.map(t -> t.step().equals("step06")).orElse(true)) {
                    say("without it: %s", task.withoutIt()); // an earlier step's TODO says what it is itself
                }
                Throwable stop = todo.<Throwable>map(t -> t).orElse(failure);
                // The run's last lines name the first unfinished step: an earlier step's TODO before step06's.
                first = first == null || stepOf(stop).compareTo(stepOf(first)) < 0 ? stop : first;
            }
        }
        if (first != null) {
            throw first instanceof Exception e ? e : new IllegalStateException(first);
        }
    }

    /**
     * Task 1: on a restrictive link ({@code direct=off}: only packets to a TURN server's relayed address pass),
     * /config's TURN server, relay candidates only; the set-up time and the selected pairs. Without the task the peers
     * use what steps 01-05 use (STUN only): nothing connects.
     */
    private static void relayOnly(Conditions conditions, Hook hook) throws Exception {
        Conditions restrictive = new Conditions(
                conditions.faults(),
                (conditions.link() != null ? conditions.link() : LinkSettings.perfect()).withDirect(false));
        CallRun.Setup setup = CallRun.Setup.with(
                        c -> c.withTurn(TurnSettings.managed(0)),
                        relay -> {
                            relay.turnProblem().ifPresent(problem -> {
                                throw new IllegalStateException("the relay's coturn did not start: " + problem);
                            });
                            IceConfig config = IceConfig.fetch(URI.create(relay.url()), Duration.ofSeconds(5));
                            say("/config: %s", config.profile().describe());
                            IceProfile profile = hook.callBefore(
                                    () -> RelayOnly.profile(config), () -> CallRun.Setup.LOOPBACK.apply(relay));
                            say("this peer%s: %s", hook.stopped() ? " (as in steps 01-05)" : "", profile.describe());
                            return profile;
                        },
                        Resilience.PLAIN)
                .expectingFailure(hook::stopped);
        CallRun.run(
                restrictive,
                setup,
                kinds(EventKind.CANDIDATE_SENT, EventKind.CONNECTION_STATE, EventKind.ERROR),
                (caller, callee, link) -> {
                    say("set up in %.1f ms (create-offer to both sides CONNECTED)", setUpMillis(caller, callee));
                    CallRun.printMedia(caller, callee);
                });
    }

    /** Task 2: a perfect link (or --link's), cut once the call is up, healed once the caller restarted ICE. */
    private static void cutPath(Conditions conditions, Hook hook) throws Exception {
        Conditions linked =
                conditions.link() != null ? conditions : new Conditions(conditions.faults(), LinkSettings.perfect());
        CallRun.Setup setup = CallRun.Setup.with(restart(hook));
        CallRun.run(
                linked,
                setup,
                e -> e.kind() == EventKind.ICE_CONNECTION_STATE
                        || e.kind() == EventKind.SIGNALING_STATE
                        || e.kind() == EventKind.ERROR
                        || (e.kind() == EventKind.CALL && e.value().equals(IceRestart.RESTARTING))
                        || stoppedEvent(e),
                (caller, callee, link) -> {
                    link.cut();
                    if (hook.stopped()) {
                        say("no restart: the caller waits for ICE to give up (up to 60 s)");
                        StepRun.await(
                                caller.timeline().when(EventKind.ICE_CONNECTION_STATE, "FAILED"), 60, "ICE failed");
                        long[] frozen = {
                            caller.remoteVideo().frames(), callee.remoteVideo().frames()
                        };
                        link.heal();
                        boolean resumed = waitFor(
                                () -> caller.remoteVideo().frames() > frozen[0]
                                        || callee.remoteVideo().frames() > frozen[1],
                                5);
                        say(
                                resumed
                                        ? "frames came back after the heal without a restart"
                                        : "healed, and 5 s later still no frame either way: the call is dead");
                        return;
                    }
                    StepRun.await(caller.timeline().when(EventKind.CALL, IceRestart.RESTARTING), 20, "ICE restart");
                    // Healed once the restart is answered and its checks are under way (healed earlier, the old pair
                    // may come back by itself).
                    StepRun.await(
                            until(() -> caller.timeline().values(EventKind.ICE_CONNECTION_STATE).stream()
                                            .dropWhile(
                                                    state -> !state.equals("DISCONNECTED") && !state.equals("FAILED"))
                                            .anyMatch("CHECKING"::equals)
                                    && caller.timeline().count(EventKind.SIGNALING_STATE) >= 4),
                            20,
                            "the restart's checks");
                    long[] frozen = {
                        caller.remoteVideo().frames(), callee.remoteVideo().frames()
                    };
                    link.heal();
                    long healed = System.nanoTime();
                    StepRun.await(
                            until(() -> caller.remoteVideo().frames() > frozen[0]
                                    && callee.remoteVideo().frames() > frozen[1]),
                            15,
                            "frames both ways after the heal");
                    say("frames resumed both ways %.1f ms after the heal", (System.nanoTime() - healed) / 1e6);
                    StepRun.await(
                            until(() -> caller.remoteVideo().frames() > frozen[0] + 30
                                    && callee.remoteVideo().frames() > frozen[1] + 30),
                            15,
                            "a second of frames");
                    CallRun.printMedia(caller, callee);
                });
    }

    /** The step whose TODO {@code failure} is, or one after every step's for any other failure. */
    private static String stepOf(Throwable failure) {
        return Todo.in(failure).map(Todo::step).orElse("step~");
    }

    private static boolean stoppedEvent(TimelineEvent e) {
        return e.kind() == EventKind.CALL && e.value().startsWith(STOPPED);
    }

    /** Whether {@code condition} holds within {@code seconds} (checked every 10 ms): false once they are up. */
    private static boolean waitFor(java.util.function.BooleanSupplier condition, long seconds) throws Exception {
        java.util.concurrent.CompletableFuture<Void> holds = until(condition);
        try {
            holds.get(seconds, java.util.concurrent.TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException notYet) {
            holds.cancel(false); // stops the checks
            return false;
        }
    }

    /** Completes once {@code condition} holds, checked every 10 ms on a timer thread. */
    private static java.util.concurrent.CompletableFuture<Void> until(java.util.function.BooleanSupplier condition) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.Executor tick =
                java.util.concurrent.CompletableFuture.delayedExecutor(10, java.util.concurrent.TimeUnit.MILLISECONDS);
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (condition.getAsBoolean()) {
                done.complete(null);
            } else if (!done.isDone()) {
                tick.execute(check[0]);
            }
        };
        tick.execute(check[0]);
        return done;
    }

    /** Task 3: the caller hangs up; the callee closes on its hangup. */
    private static void hangUp(Conditions conditions, Hook hook) throws Exception {
        CallRun.Setup setup = CallRun.Setup.with(ending(hook));
        CallRun.run(
                conditions,
                setup,
                e -> e.kind() == EventKind.CONNECTION_STATE
                        || e.kind() == EventKind.ERROR
                        || (e.kind() == EventKind.CALL
                                && (e.value().startsWith(CallEnding.ENDED)
                                        || e.value().equals(CallPeer.LEFT_OPEN)))
                        || ((e.kind() == EventKind.MESSAGE_SENT || e.kind() == EventKind.MESSAGE_RECEIVED)
                                && e.value().equals(MessageTypes.HANGUP))
                        || stoppedEvent(e),
                (caller, callee, link) -> {
                    say("the caller hangs up");
                    StepRun.await(caller.hangUp(), 5, "hang-up");
                    if (hook.stopped()) {
                        java.util.function.BooleanSupplier closed = () -> callee.timeline()
                                .values(EventKind.CONNECTION_STATE)
                                .contains("CLOSED");
                        if (waitFor(closed, 5)) {
                            say("callee: connection closed");
                            return;
                        }
                        say("callee: connection still open 5 s after the caller's hangup; the program closes it now");
                        StepRun.await(
                                callee.loop().run(() -> HangUp.close(callee.peerConnection())),
                                5,
                                "the callee's close");
                        StepRun.await(until(closed), 5, "the callee's CLOSED");
                        return;
                    }
                    String ended = StepRun.await(callee.otherEnded(), 5, "end of the call at the callee");
                    StepRun.await(callee.timeline().when(EventKind.CALL, CallPeer.CLOSED), 5, "closed callee");
                    say("callee: %s; both connections CLOSED", ended);
                });
    }

    /** Task 4: every message twice, candidates shuffled; what each side left alone. */
    private static void everythingTwice(Conditions conditions, Hook hook) throws Exception {
        Conditions twice = conditions.faults().any()
                ? conditions
                : new Conditions(Faults.parse("duplicate,reorder"), conditions.link());
        CallRun.Setup setup = CallRun.Setup.with(memory(hook));
        CallRun.run(
                twice,
                setup,
                kinds(
                                EventKind.SIGNALING_STATE,
                                EventKind.MESSAGE_IGNORED,
                                EventKind.CONNECTION_STATE,
                                EventKind.ERROR,
                                EventKind.CALL)
                        .and(e -> e.kind() != EventKind.CALL || stoppedEvent(e)),
                (caller, callee, link) -> {
                    for (CallPeer peer : List.of(caller, callee)) {
                        say(
                                "%s: %d messages left alone, signalling states %s",
                                peer.timeline().side(),
                                peer.timeline().count(EventKind.MESSAGE_IGNORED),
                                peer.timeline().values(EventKind.SIGNALING_STATE));
                    }
                    CallRun.printMedia(caller, callee);
                });
    }

    private static java.util.function.Predicate<TimelineEvent> kinds(EventKind... kinds) {
        Set<EventKind> set = Set.of(kinds);
        return e -> set.contains(e.kind());
    }

    /** From the caller's create-offer to the later of both sides' CONNECTED, on one clock. */
    private static double setUpMillis(CallPeer caller, CallPeer callee) {
        double offer = at(caller.timeline(), EventKind.CALL, "create-offer");
        List<Double> connected = new ArrayList<>();
        for (CallPeer peer : List.of(caller, callee)) {
            connected.add(at(peer.timeline(), EventKind.CONNECTION_STATE, "CONNECTED"));
        }
        return Math.max(connected.get(0), connected.get(1)) - offer;
    }

    private static double at(CallTimeline timeline, EventKind kind, String value) {
        return timeline.events().stream()
                .filter(e -> e.kind() == kind && e.value().equals(value))
                .findFirst()
                .map(e -> timeline.startNanos() / 1e6 + e.atMillis())
                .orElse(Double.NaN);
    }
}
