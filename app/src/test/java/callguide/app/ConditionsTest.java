package callguide.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callguide.relay.Faults;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the conditions a run, demo or call takes (--faults, --link)")
class ConditionsTest {

    @Test
    @DisplayName("are none unless asked for, and a bad value names its flag")
    void flags() {
        Conditions none = Conditions.from(Map.of());
        assertThat(none).isEqualTo(Conditions.none());
        assertThat(none.describe()).isEmpty();
        assertThat(none.watchFor()).isZero();
        assertThat(none.startLink()).isNull();
        Conditions both = Conditions.from(Flags.parse(
                new String[] {"--faults", "early-candidates", "--link", "loss=20%,delay=150ms"}, Conditions.FLAGS));
        assertThat(both.faults()).isEqualTo(Faults.parse("early-candidates"));
        assertThat(both.link().lossPercent()).isEqualTo(20);
        assertThat(both.describe()).hasSize(2);
        assertThat(both.explainFailure()).startsWith("early-candidates: ");
        assertThat(Conditions.from(Map.of("link", "cut-at=3s,cut-for=2s")).watchFor())
                .as("past the cut and its heal")
                .isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> Conditions.from(Map.of("link", "lag=1"))).hasMessageStartingWith("--link: ");
        assertThatThrownBy(() -> Conditions.from(Map.of("faults", "lag"))).hasMessageStartingWith("--faults: ");
    }
}
