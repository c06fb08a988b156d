package callguide.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The tools' child processes")
class ProcessesTest {

    /** A child that prints until it is stopped. */
    public static final class Chatter {
        public static void main(String[] args) {
            for (long n = 0; ; n++) {
                System.out.println("line " + n);
            }
        }
    }

    @Test
    @DisplayName("a child stopped as Ctrl-C stops it, while its output is copied, gives its exit status, not "
            + "'cannot start'")
    void stoppedWhileCopying() {
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        AtomicBoolean stopped = new AtomicBoolean();
        // The first line copied stops every child, as the shutdown hook does on Ctrl-C: that closes the child's
        // output under the copy ("Stream closed"), the way `watch`, `run` and `call` met it.
        PrintStream out = new PrintStream(copied, true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                super.println(line);
                if (stopped.compareAndSet(false, true)) {
                    Processes.stopAll();
                }
            }
        };
        ProcessBuilder chatter = new ProcessBuilder(
                List.of(Processes.java(), "-cp", System.getProperty("java.class.path"), Chatter.class.getName()));

        int status = Processes.filtered(chatter, out);

        assertThat(stopped).as("the child printed and was stopped").isTrue();
        assertThat(status).as("the stopped child's exit status (SIGTERM)").isNotZero();
        assertThat(copied.toString(StandardCharsets.UTF_8))
                .as("what was copied before the stop")
                .startsWith("line 0");
    }
}
