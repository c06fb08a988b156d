package callguide.relay;

import java.util.ArrayList;
import java.util.List;

/**
 * How the relay misbehaves on purpose, so a learner can watch a call meet what a real network
 * and a real signalling server do to it ({@code ./workshop relay --faults LIST}, relay/PROTOCOL.md).
 * Off unless asked for: {@link #none()} is every relay's default.
 *
 * @param earlyCandidates every candidate a peer sends after its offer or answer is delivered before that offer or
 *                        answer: the description is held until its candidates stopped coming ({@link #QUIET} without
 *                        one, at most {@link #LONGEST_HOLD})
 * @param duplicate       every forwarded message is delivered twice, each copy with its own {@code seq}
 * @param reorder         candidates that follow one another are delivered shuffled
 * @param delayMillis     every forwarded message is delivered this much later (0: at once), order kept
 * @param noWebSocket     WebSocket upgrades are refused, so clients fall back to long polling
 */
public record Faults(
        boolean earlyCandidates, boolean duplicate, boolean reorder, int delayMillis, boolean noWebSocket) {

    /** The longest delay {@code delay=MS} takes. */
    public static final int MAX_DELAY_MILLIS = 10_000;
    /** How long a held offer or answer waits after the last of its candidates (or after itself, if none came). */
    public static final java.time.Duration QUIET = java.time.Duration.ofMillis(500);
    /** The longest a held offer or answer waits, however many candidates keep coming. */
    public static final java.time.Duration LONGEST_HOLD = java.time.Duration.ofSeconds(3);
    /** How long a run of candidates is collected before it is delivered shuffled. */
    public static final java.time.Duration SHUFFLE_WINDOW = java.time.Duration.ofMillis(200);

    /** What {@link #parse} takes, for messages and usage. */
    public static final String NAMES = "early-candidates, duplicate, reorder, delay=MS, no-websocket";

    public Faults {
        if (delayMillis < 0 || delayMillis > MAX_DELAY_MILLIS) {
            throw new IllegalArgumentException(
                    "delay=MS takes 0 to " + MAX_DELAY_MILLIS + " milliseconds, not " + delayMillis);
        }
    }

    /** A relay that behaves: what every relay runs with unless told otherwise. */
    public static Faults none() {
        return new Faults(false, false, false, 0, false);
    }

    /**
     * {@code early-candidates,duplicate,reorder,delay=MS,no-websocket}, in any order and any subset
     * (an empty list: none). Anything else is refused with a message naming what is accepted.
     */
    public static Faults parse(String list) {
        boolean early = false;
        boolean duplicate = false;
        boolean reorder = false;
        int delay = 0;
        boolean noWebSocket = false;
        for (String raw : list.split(",")) {
            String fault = raw.trim();
            if (fault.isEmpty()) {
                continue;
            }
            switch (fault) {
                case "early-candidates" -> early = true;
                case "duplicate" -> duplicate = true;
                case "reorder" -> reorder = true;
                case "no-websocket" -> noWebSocket = true;
                default -> {
                    if (!fault.startsWith("delay=")) {
                        throw new IllegalArgumentException("unknown fault \"" + fault + "\": the faults are " + NAMES);
                    }
                    String ms = fault.substring("delay=".length()).trim();
                    if (ms.endsWith("ms")) {
                        ms = ms.substring(0, ms.length() - 2);
                    }
                    try {
                        delay = Integer.parseInt(ms);
                    } catch (NumberFormatException e) {
                        delay = -1;
                    }
                    if (delay < 1 || delay > MAX_DELAY_MILLIS) {
                        throw new IllegalArgumentException("the fault delay=MS takes a whole number of milliseconds"
                                + " from 1 to " + MAX_DELAY_MILLIS + ", not \"" + fault + "\"");
                    }
                }
            }
        }
        return new Faults(early, duplicate, reorder, delay, noWebSocket);
    }

    /** True when any fault is on. */
    public boolean any() {
        return earlyCandidates || duplicate || reorder || delayMillis > 0 || noWebSocket;
    }

    /** True when a fault changes what is forwarded (all but {@code no-websocket}). */
    boolean touchesMessages() {
        return earlyCandidates || duplicate || reorder || delayMillis > 0;
    }

    /** The faults on, as {@link #parse} takes them ({@code early-candidates,delay=200}); empty when none. */
    @Override
    public String toString() {
        List<String> on = new ArrayList<>();
        if (earlyCandidates) {
            on.add("early-candidates");
        }
        if (duplicate) {
            on.add("duplicate");
        }
        if (reorder) {
            on.add("reorder");
        }
        if (delayMillis > 0) {
            on.add("delay=" + delayMillis);
        }
        if (noWebSocket) {
            on.add("no-websocket");
        }
        return String.join(",", on);
    }
}
