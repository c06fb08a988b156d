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
        return Todo.in(cause)
                .map(todo -> {
                    System.out.println();
                    System.out.println("stopped at a TODO: " + todo.getMessage());
                    System.out.println(todo.next());
                    return 3;
                })
                .orElseGet(() -> {
                    System.out.println();
                    System.out.println(
                            step + " run failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
                    return 1;
                });
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
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
