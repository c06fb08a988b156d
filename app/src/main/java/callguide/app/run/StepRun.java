package callguide.app.run;

import callguide.kit.Todo;
import callguide.kit.rtc.EventLoop;
import callguide.kit.timeline.CallTimeline;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What every {@code ./workshop run STEP} program shares: live printing of timelines, and the
 * ending. A finished run exits 0; an unfinished exercise stops at its TODO with the task's
 * message and the hint command (exit 3), never a stack trace from inside a library; any other
 * failure prints one line saying what went wrong (exit 1).
 */
final class StepRun {
    private static final long START = System.nanoTime();

    private StepRun() {}

    interface Body {
        void run(String[] args) throws Exception;
    }

    /** Runs {@code body}, then exits the JVM (webrtc-java's native threads would keep it alive). */
    static void main(String step, String[] args, Body body) {
        int exit;
        try {
            body.run(args);
            exit = 0;
        } catch (Throwable error) {
            exit = report(step, error);
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(exit);
    }

    private static int report(String step, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof BadFlag bad) {
            System.out.println(step + " run: " + bad.getMessage());
            return 2;
        }
        return Todo.in(cause)
                .map(todo -> {
                    System.out.println();
                    todoLines(todo).forEach(System.out::println);
                    return 3;
                })
                .orElseGet(() -> {
                    System.out.println();
                    System.out.println(
                            step + " run failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
                    return 1;
                });
    }

    /** What a run that stopped at {@code todo} prints last: the task's message, then what to do next. */
    static java.util.List<String> todoLines(Todo todo) {
        return java.util.List.of("stopped at a TODO: " + todo.getMessage(), todo.next());
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * One idea of a step, which {@code --without NAME} switches off in the step's run program (never in the
     * step's code): the README's "predict, then observe" runs the reference solution that way.
     */
    record Idea(String name, String what) {}

    /** The flag, without its dashes, for {@code Flags.parse}. */
    static final String WITHOUT = "without";

    /** A flag the run program cannot take: its message says what it takes. */
    static final class BadFlag extends IllegalArgumentException {
        BadFlag(String message) {
            super(message);
        }
    }

    /**
     * The idea {@code --without NAME} names among {@code ideas}, printed with what switching it off does; empty
     * without the flag.
     */
    static java.util.Optional<Idea> without(String[] args, Idea... ideas) {
        int at = java.util.Arrays.asList(args).indexOf("--" + WITHOUT);
        if (at < 0) {
            return java.util.Optional.empty();
        }
        String name = at + 1 < args.length ? args[at + 1] : "";
        for (Idea idea : ideas) {
            if (idea.name().equals(name)) {
                say("without %s: %s", idea.name(), idea.what());
                return java.util.Optional.of(idea);
            }
        }
        StringBuilder known = new StringBuilder();
        for (Idea idea : ideas) {
            known.append(known.length() == 0 ? "" : "; ")
                    .append(idea.name())
                    .append(" (")
                    .append(idea.what())
                    .append(')');
        }
        throw new BadFlag("--without takes " + (ideas.length == 1 ? "" : "one of: ") + known
                + (name.isEmpty() ? "" : ", not '" + name + "'"));
    }

    /** Prints one line, with the milliseconds since the program started. */
    static void say(String format, Object... args) {
        System.out.printf(
                Locale.ROOT,
                "%9.1f ms  %s%n",
                (System.nanoTime() - START) / 1e6,
                String.format(Locale.ROOT, format, args));
    }

    /** Prints every event of {@code timeline} as it is recorded. */
    static CallTimeline printed(CallTimeline timeline) {
        timeline.addListener(
                event -> say("%-7s %-22s %s", event.side(), event.kind().label(), event.value()));
        return timeline;
    }

    /** Makes an error on {@code loop} (a TODO in a listener, say) end {@code run}. */
    static void failOnLoopError(EventLoop loop, CompletableFuture<?> run) {
        loop.onFailure(run::completeExceptionally);
    }

    /** Waits for {@code future}, bounded; its failure is thrown as it is. */
    static <T> T await(CompletableFuture<T> future, long seconds, String what) throws Exception {
        try {
            return future.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no " + what + " after " + seconds + " s");
        }
    }
}
