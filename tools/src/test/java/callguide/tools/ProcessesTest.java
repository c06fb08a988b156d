package callguide.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /** A child that runs until it is stopped, saying nothing (as Maven does for a minute on a loaded machine). */
    public static final class Silent {
        public static void main(String[] args) throws InterruptedException {
            new CountDownLatch(1).await();
        }
    }

    @Test
    @DisplayName("a logged child says, every so often while it runs, how long it has run; its exit status after")
    void loggedSaysItIsStillRunning(@TempDir Path dir) {
        List<Duration> said = new ArrayList<>();
        ProcessBuilder silent = new ProcessBuilder(
                List.of(Processes.java(), "-cp", System.getProperty("java.class.path"), Silent.class.getName()));

        int status = Processes.logged(silent, dir.resolve("silent.log"), Duration.ofMillis(200), running -> {
            said.add(running);
            if (said.size() == 3) {
                Processes.stopAll(); // enough said: stop it, as Ctrl-C would
            }
        });

        assertThat(said)
                .as("how long it had run, each time it said so")
                .hasSize(3)
                .isSorted();
        assertThat(said.get(0)).as("the first time").isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(status).as("the stopped child's exit status").isNotZero();
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
