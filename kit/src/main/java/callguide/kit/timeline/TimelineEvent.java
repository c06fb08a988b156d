package callguide.kit.timeline;

/**
 * One entry: {@code atMillis} since the timeline started, which side, what kind, and its value
 * (a state's name, a message type, a candidate line).
 */
public record TimelineEvent(double atMillis, String side, EventKind kind, String value) {

    @Override
    public String toString() {
        return String.format("%9.1f ms  %-7s %-22s %s", atMillis, side, kind.label(), value);
    }
}
