package callguide.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the demo's merge of two sides' lines")
class TimeOrderTest {
    private final List<String> printed = new CopyOnWriteArrayList<>();
    private final AtomicReference<Double> now = new AtomicReference<>(1_000.0);

    @Test
    @DisplayName("prints a line that arrives late before the other side's later lines (the demo's 3927.6 before "
            + "3886.9)")
    void lateLine() {
        try (TimeOrder order = new TimeOrder(2, 500, now::get, printed::add)) {
            order.add(1, 927.6, "caller joined");
            assertThat(printed)
                    .as("the caller's line, the callee having printed nothing yet")
                    .isEmpty();
            order.add(0, 886.9, "callee joined");
            assertThat(printed)
                    .as("the callee's earlier line, then nothing the callee could still precede")
                    .containsExactly("callee joined");
            order.add(0, 950.0, "callee called");
            assertThat(printed).containsExactly("callee joined", "caller joined");
            order.end(1);
            assertThat(printed).containsExactly("callee joined", "caller joined", "callee called");
        }
    }

    @Test
    @DisplayName("keeps the output live: a quiet side holds a line back at most the hold, and the end prints all in "
            + "order")
    void quietSide() {
        try (TimeOrder order = new TimeOrder(2, 500, now::get, printed::add)) {
            order.add(1, 900, "caller media ready");
            order.add(1, 950, "caller peer ready");
            now.set(1_400.0);
            order.drain();
            assertThat(printed).as("at 1400 ms, the first line 500 ms old").containsExactly("caller media ready");
            order.add(1, 1_300, "caller joined");
            order.add(0, 1_200, "callee joined");
        }
        assertThat(printed)
                .as("after close")
                .containsExactly("caller media ready", "caller peer ready", "callee joined", "caller joined");
    }
}
