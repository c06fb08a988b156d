package callguide.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The timeline assertions")
class TimelineAssertTest {

    @Test
    @DisplayName("pass on what happened and names the side, the kind and the timeline when it fails")
    void timelineAssert() {
        CallTimeline timeline = new CallTimeline("caller");
        timeline.record(EventKind.SIGNALING_STATE, "HAVE_LOCAL_OFFER");
        timeline.record(EventKind.CONNECTION_STATE, "CONNECTING");
        timeline.record(EventKind.SIGNALING_STATE, "STABLE");
        timeline.record(EventKind.ICE_CONNECTION_STATE, "CHECKING");
        timeline.record(EventKind.TRACK, "video");
        timeline.record(EventKind.CONNECTION_STATE, "CONNECTED");
        timeline.record(EventKind.ICE_CONNECTION_STATE, "CONNECTED");

        TimelineAssert.assertThat(timeline)
                .signalingStates()
                .as("signalling states")
                .containsExactly("HAVE_LOCAL_OFFER", "STABLE");
        TimelineAssert.assertThat(timeline)
                .connectionStates()
                .as("connection states")
                .containsExactly("CONNECTING", "CONNECTED");
        TimelineAssert.assertThat(timeline)
                .iceConnectionStates()
                .as("ICE states")
                .containsExactly("CHECKING", "CONNECTED");
        TimelineAssert.assertThat(timeline).tracks().as("tracks").containsExactly("video");
        TimelineAssert.assertThat(timeline).values(EventKind.ERROR).as("errors").isEmpty();
        TimelineAssert.assertThat(timeline)
                .hasInOrder(EventKind.SIGNALING_STATE, "HAVE_LOCAL_OFFER", EventKind.SIGNALING_STATE, "STABLE")
                .hasInOrder(EventKind.CONNECTION_STATE, "CONNECTING", EventKind.ICE_CONNECTION_STATE, "CONNECTED");

        assertThatThrownBy(() ->
                        TimelineAssert.assertThat(timeline).signalingStates().containsExactly("STABLE"))
                .as("a failing values assertion")
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("caller's signaling-state events")
                .hasMessageContaining("the whole timeline of caller")
                .hasMessageContaining("ice-connection-state");
        assertThatThrownBy(() -> TimelineAssert.assertThat(timeline)
                        .hasInOrder(EventKind.CONNECTION_STATE, "CONNECTED", EventKind.SIGNALING_STATE, "STABLE"))
                .as("hasInOrder for two events recorded the other way round")
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(
                        "expected connection-state CONNECTED before signaling-state STABLE on caller's timeline")
                .hasMessageContaining("HAVE_LOCAL_OFFER");
        assertThatThrownBy(() -> TimelineAssert.assertThat(timeline)
                        .hasInOrder(EventKind.SIGNALING_STATE, "STABLE", EventKind.CONNECTION_STATE, "FAILED"))
                .as("hasInOrder for an event never recorded")
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("connection-state FAILED");
        assertThatThrownBy(() -> TimelineAssert.assertThat(null).tracks())
                .as("a null timeline")
                .isInstanceOf(AssertionError.class);
    }
}
