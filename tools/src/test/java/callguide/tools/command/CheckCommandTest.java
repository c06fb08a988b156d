package callguide.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.tools.Step;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("check's last line")
class CheckCommandTest {

    @Test
    @DisplayName("names the JSON command of the same steps and flags, not of every step")
    void asJson() {
        Set<Step> none = new LinkedHashSet<>();
        Set<Step> two = new LinkedHashSet<>(List.of(new Step("step01-media", 1), new Step("step04-offer-answer", 4)));

        assertThat(CheckCommand.asJson(none, false))
                .as("after ./workshop check")
                .isEqualTo("./workshop check --json");
        assertThat(CheckCommand.asJson(Set.of(new Step("step01-media", 1)), false))
                .as("after ./workshop check 01")
                .isEqualTo("./workshop check 01 --json");
        assertThat(CheckCommand.asJson(two, true))
                .as("after ./workshop check 01 04 --solutions")
                .isEqualTo("./workshop check 01 04 --solutions --json");
    }
}
