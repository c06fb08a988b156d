package callguide.app;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.app.run.ReadmeSamplesTest;
import callguide.kit.rtc.Stats;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The top README's sample of {@code ./workshop demo} is a real run: every line it shows, but the launcher's own
 * {@code workshop:} lines, is a line a demo prints, with what differs from run to run masked as the step READMEs'
 * samples are ({@link ReadmeSamplesTest#masked}), and the columns of the summary's counts besides. Which side hangs
 * up first differs from run to run too (each hangs up once media arrived both ways): from the sample's first
 * {@code hangup} on, a line may be the other side's.
 */
@DisplayName("The README's demo sample")
class ReadmeDemoSampleTest {
    private static final Path README =
            Path.of("..").toAbsolutePath().normalize().resolve("README.md");
    private static final Pattern BLOCK = Pattern.compile(
            "A real run, cut short where `\\.\\.\\.`\\s+stands:\\s*\\n```\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    @Timeout(120)
    @DisplayName("shows only lines a demo prints (times, ports, counts and the hang-up's first side aside)")
    void isReal() throws Exception {
        Matcher block = BLOCK.matcher(Files.readString(README, StandardCharsets.UTF_8));
        assertThat(block.find()).as("the demo's sample in %s", README).isTrue();
        List<String> shown = new ArrayList<>(masked(block.group(1)
                .lines()
                .filter(line -> !line.startsWith("workshop: "))
                .toList()));
        assertThat(shown.remove("...")).as("the sample is cut short with ...").isTrue();
        shown.removeIf("..."::equals);

        List<String> printed = new CopyOnWriteArrayList<>();
        String differences = "";
        for (int run = 1; run <= 2; run++) { // once more: a call's lines can differ from one run to the next
            printed.clear();
            try (Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(0))) {
                printed.addAll(Demo.header(relay, false));
                Demo.Result result = Demo.run(relay, printed::add);
                printed.addAll(Demo.summary(result).lines().toList());
            }
            differences = differences(shown, masked(printed));
            if (differences.isEmpty()) {
                break;
            }
        }
        assertThat(differences)
                .as("%s's demo sample against two demos; the last printed (masked):%n%s", README, masked(printed))
                .isEmpty();
    }

    /** The sample's lines that no printed line is; from the first hang-up on, the other side's line will do. */
    private static String differences(List<String> shown, List<String> printed) {
        StringBuilder out = new StringBuilder();
        boolean hungUp = false;
        for (String line : shown) {
            hungUp |= line.endsWith(" hangup");
            if (!printed.contains(line) && !(hungUp && printed.contains(otherSide(line)))) {
                out.append("shown but not printed: ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String otherSide(String line) {
        return line.replace("caller", "\0").replace("callee", "caller").replace("\0", "callee");
    }

    /**
     * As the step samples are masked, with runs of spaces as one and the summary's figures masked too; the note after
     * a prflx pair left out (a run whose pairs are srflx at both ends has none).
     */
    private static List<String> masked(List<String> lines) {
        return ReadmeSamplesTest.masked(lines).stream()
                .filter(line -> !line.equals("(" + Stats.PRFLX + ")"))
                .map(line -> line.replaceAll("\\s+", " ")
                        .replaceAll("^call connected: \\d+ ms", "call connected: N ms")
                        .replaceAll("^(caller|callee) (true|false) \\d+ \\d+ ", "$1 $2 N N "))
                .toList();
    }
}
