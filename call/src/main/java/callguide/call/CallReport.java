package callguide.call;

import callguide.kit.rtc.Stats;
import callguide.kit.rtc.Stats.SelectedPair;
import callguide.kit.timeline.EventKind;
import callguide.kit.timeline.TimelineEvent;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one side of a call saw, in the JSON of {@code ./workshop demo --json}: its state timeline,
 * the media it received and the candidate pair ICE selected (from stats). {@code failure} says which
 * stage failed when the call did not come up; {@code ended_by} says when the other side ended it
 * ({@code "the other side hung up"}), null when this side hung up.
 */
public record CallReport(
        String side,
        boolean connected,
        @JsonProperty("started_epoch_ms") double startedEpochMs,
        List<Entry> timeline,
        @JsonProperty("video_frames_received") long videoFramesReceived,
        @JsonProperty("audio_callbacks") long audioCallbacks,
        @JsonProperty("selected_pair") Map<String, String> selectedPair,
        String failure,
        @JsonProperty("ended_by") String endedBy) {

    /** One timeline entry as JSON: {@code {"at_ms": 12.5, "kind": "signaling-state", "value": "STABLE"}}. */
    public record Entry(@JsonProperty("at_ms") double atMs, String kind, String value) {
        static Entry of(TimelineEvent event) {
            return new Entry(
                    Math.round(event.atMillis() * 10) / 10.0, event.kind().label(), event.value());
        }
    }

    static Map<String, String> pair(SelectedPair pair) {
        if (pair == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("local", pair.local().toString());
        out.put("remote", pair.remote().toString());
        return out;
    }

    /** The selected pair as {@code local <-> remote}, or {@code -} when there is none. */
    public String pairText() {
        return selectedPair == null ? "-" : selectedPair.get("local") + " <-> " + selectedPair.get("remote");
    }

    /**
     * This report with the remote end of its selected pair named from the other side's report.
     * libwebrtc hides the address of a peer-reflexive remote candidate in stats ("prflx ?:port");
     * when the other side's local end has that port it is the same pair, seen from there.
     */
    public CallReport resolvedBy(CallReport other) {
        if (selectedPair == null || other == null || other.selectedPair == null) {
            return this;
        }
        String remote = Stats.resolveRemote(selectedPair.get("remote"), other.selectedPair.get("local"));
        Map<String, String> resolved = new LinkedHashMap<>(selectedPair);
        resolved.put("remote", remote);
        return new CallReport(
                side,
                connected,
                startedEpochMs,
                timeline,
                videoFramesReceived,
                audioCallbacks,
                resolved,
                failure,
                endedBy);
    }

    /** This report, saying the other side ended the call ({@code what}: "the other side hung up", ...). */
    public CallReport endedBy(String what) {
        return new CallReport(
                side,
                connected,
                startedEpochMs,
                timeline,
                videoFramesReceived,
                audioCallbacks,
                selectedPair,
                failure,
                what);
    }

    /** Milliseconds since this side started of the first entry of {@code kind} with {@code value}, or -1. */
    public double firstAt(EventKind kind, String value) {
        return timeline.stream()
                .filter(e -> e.kind().equals(kind.label()) && e.value().equals(value))
                .mapToDouble(Entry::atMs)
                .findFirst()
                .orElse(-1);
    }
}
