package callguide.kit;

/**
 * The teaching exception every exercise stub throws. Its message is the task itself and where
 * its hint is, so the first failing test is the instructions.
 */
public final class Todo extends UnsupportedOperationException {
    private final String step;
    private final int task;

    private Todo(String step, int task, String message) {
        super(message);
        this.step = step;
        this.task = task;
    }

    /**
     * {@code throw Todo.task("step01", 1, "open the camera ...")} gives
     * "step01 task 1 is not done yet: open the camera ... (hint: ./workshop hint 01 1, or step01*&#47;HINTS.md)".
     */
    public static Todo task(String step, int task, String whatToDo) {
        String number = step.replaceAll("\\D", "");
        return new Todo(
                step,
                task,
                step + " task " + task + " is not done yet: " + whatToDo + " (hint: ./workshop hint " + number + " "
                        + task + ", or " + step + "*/HINTS.md)");
    }

    private static final java.util.regex.Pattern MESSAGE =
            java.util.regex.Pattern.compile("^(step(\\d\\d)) task (\\d+) is not done yet: ");

    /**
     * What to type next, worded the same wherever a run stops at this TODO ({@code run}, {@code call}, {@code peer}):
     * "next: ./workshop hint 01 2   (then ./workshop check 01)".
     */
    public String next() {
        String number = step.replaceAll("\\D", "");
        return "next: ./workshop hint " + number + " " + task + "   (then ./workshop check " + number + ")";
    }

    /**
     * The Todo a message was made from ({@link #getMessage()}), if it is one: how a process that only has another's
     * report (the demo's two sides) finds the step and the task.
     */
    public static java.util.Optional<Todo> fromMessage(String message) {
        java.util.regex.Matcher m = MESSAGE.matcher(message == null ? "" : message);
        return m.find()
                ? java.util.Optional.of(new Todo(m.group(1), Integer.parseInt(m.group(3)), message))
                : java.util.Optional.empty();
    }

    public String step() {
        return step;
    }

    public int taskNumber() {
        return task;
    }

    /** The Todo at the root of {@code error}'s causes, if any: how a run finds the first unfinished step. */
    public static java.util.Optional<Todo> in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof Todo todo) {
                return java.util.Optional.of(todo);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return java.util.Optional.empty();
    }
}
