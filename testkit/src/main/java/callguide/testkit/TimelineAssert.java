package callguide.testkit;

import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * AssertJ assertions over a {@link CallTimeline}. Each one names the side and the kind, and a
 * failure prints the whole timeline, so a learner sees what did happen:
 * <pre>{@code
 * TimelineAssert.assertThat(caller).signalingStates().containsExactly("HAVE_LOCAL_OFFER", "STABLE");
 * }</pre>
 */
public final class TimelineAssert extends AbstractAssert<TimelineAssert, CallTimeline> {

    private TimelineAssert(CallTimeline actual) {
        super(actual, TimelineAssert.class);
    }

    public static TimelineAssert assertThat(CallTimeline timeline) {
        return new TimelineAssert(timeline);
    }

    /** The values of {@code kind} in order, described with the side and the whole timeline. */
    public ListAssert<String> values(EventKind kind) {
        isNotNull();
        return Assertions.assertThat(actual.values(kind))
                .as(
                        "%s's %s events; the whole timeline of %s:%n%s",
                        actual.side(), kind.label(), actual.side(), actual);
    }

    public ListAssert<String> signalingStates() {
        return values(EventKind.SIGNALING_STATE);
    }

    public ListAssert<String> iceConnectionStates() {
        return values(EventKind.ICE_CONNECTION_STATE);
    }

    public ListAssert<String> connectionStates() {
        return values(EventKind.CONNECTION_STATE);
    }

    public ListAssert<String> tracks() {
        return values(EventKind.TRACK);
    }

    /** Checks that {@code first} was recorded before {@code then} (each the first of its kind and value). */
    public TimelineAssert hasInOrder(EventKind firstKind, String first, EventKind thenKind, String then) {
        isNotNull();
        int a = indexOf(firstKind, first);
        int b = indexOf(thenKind, then);
        if (a < 0 || b < 0 || a > b) {
            failWithMessage(
                    "expected %s %s before %s %s on %s's timeline:%n%s",
                    firstKind.label(), first, thenKind.label(), then, actual.side(), actual);
        }
        return this;
    }

    private int indexOf(EventKind kind, String value) {
        var events = actual.events();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).kind() == kind && events.get(i).value().equals(value)) {
                return i;
            }
        }
        return -1;
    }
}
