package callguide.testkit.grading;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes one JSON line per finished test, with its task (the {@code task:N} tag: the number; {@code task:step}, a
 * test that needs several of the step's tasks: {@code "step"}, graded in a row of the whole step), its name as a
 * sentence (the display names from the class down) and its status, for {@code ./workshop check}.
 * Registered with the JUnit Platform by {@code META-INF/services}; silent unless the system
 * property {@code callguide.grades} names the file to append to.
 */
public final class GradeRecorder implements TestExecutionListener {
    public static final String PROPERTY = "callguide.grades";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private TestPlan plan;

    public GradeRecorder() {
        String target = System.getProperty(PROPERTY, "");
        this.file = target.isBlank() ? null : Path.of(target);
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        if (test.isTest()) {
            write(test, "skipped", reason);
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest()) {
            String status = switch (result.getStatus()) {
                case SUCCESSFUL -> "passed";
                case ABORTED -> "skipped";
                case FAILED -> "failed";
            };
            write(
                    test,
                    status,
                    result.getThrowable().map(GradeRecorder::message).orElse(null));
        } else if (result.getStatus() == TestExecutionResult.Status.FAILED
                && test.getParentId().isPresent()) {
            // A class whose set-up failed: its tests never ran, and count as failed.
            write(
                    test,
                    "failed",
                    result.getThrowable().map(GradeRecorder::message).orElse(null));
        }
    }

    private void write(TestIdentifier test, String status, String message) {
        if (file == null) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("name", sentence(test));
        line.put("task", task(test));
        line.put("status", status);
        line.put("message", message);
        try {
            synchronized (GradeRecorder.class) {
                Files.writeString(
                        file,
                        JSON.writeValueAsString(line) + "\n",
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the grades to " + file, e);
        }
    }

    /** "task 2: the listeners > records every state change" from the display names below the engine. */
    private String sentence(TestIdentifier test) {
        List<String> names = new ArrayList<>();
        TestIdentifier at = test;
        while (at != null && at.getParentId().isPresent()) {
            names.add(0, at.getDisplayName());
            at = plan == null ? null : plan.getParent(at).orElse(null);
        }
        if (names.size() > 1) {
            names.remove(0); // the step's own top-level class: the step is known already
        }
        return String.join(" > ", names);
    }

    /** The tag of a test that needs several of its step's tasks: graded in a row of its own, the whole step's. */
    public static final String WHOLE_STEP = "step";

    private static Object task(TestIdentifier test) {
        // a whole-step test inside a task's class carries both tags: the whole step's wins
        if (test.getTags().contains(TestTag.create("task:" + WHOLE_STEP))) {
            return WHOLE_STEP;
        }
        for (TestTag tag : test.getTags()) {
            if (tag.getName().startsWith("task:")) {
                try {
                    return Integer.valueOf(tag.getName().substring("task:".length()));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static final java.util.regex.Pattern TODO =
            java.util.regex.Pattern.compile("callguide\\.kit\\.Todo: (.*?\\))(?= at |$)");

    /**
     * The teaching message of an unfinished task wherever it is (a cause, or inside AssertJ's text), else the
     * failure's.
     */
    static String message(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getClass().getName().equals("callguide.kit.Todo")) {
                return c.getMessage();
            }
        }
        String text =
                t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
        text = text.strip().replaceAll("\\s+", " ");
        java.util.regex.Matcher todo = TODO.matcher(text);
        if (todo.find()) {
            return todo.group(1);
        }
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }
}
