package callguide.app;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.call.CallReport;
import callguide.kit.Todo;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the summary of a call that stopped at a TODO")
class DemoSummaryTest {

    private static CallReport stopped(String side, Todo todo) {
        return new CallReport(side, false, 0, List.of(), 0, 0, null, todo.getMessage(), null);
    }

    @Test
    @DisplayName("names the earliest step and task either side stopped at, with the next command worded as run "
            + "words it")
    void firstUnfinished() {
        Demo.Result result = new Demo.Result(
                false,
                -1,
                stopped("caller", Todo.task("step02", 3, "handle negotiation-needed")),
                stopped("callee", Todo.task("step02", 1, "build the RTCConfiguration")));

        assertThat(Demo.summary(result))
                .as("the summary")
                .endsWith("\nthe first unfinished step is step02, task 1\n"
                        + "next: ./workshop hint 02 1   (then ./workshop check 02)\n");
        assertThat(Todo.task("step02", 1, "x").next())
                .as("what ./workshop run prints after 'stopped at a TODO'")
                .isEqualTo("next: ./workshop hint 02 1   (then ./workshop check 02)");
    }

    @Test
    @DisplayName("reads the step and the task back from a TODO's message, and nothing from another failure")
    void fromMessage() {
        Todo todo = Todo.fromMessage(
                        Todo.task("step05", 4, "tell when the call is up").getMessage())
                .orElseThrow();
        assertThat(todo.step()).isEqualTo("step05");
        assertThat(todo.taskNumber()).isEqualTo(4);
        assertThat(Todo.fromMessage("step04 making the offer: IllegalStateException: no"))
                .isEmpty();
        assertThat(Todo.fromMessage(null)).isEmpty();
    }
}
