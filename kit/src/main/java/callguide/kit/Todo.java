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
