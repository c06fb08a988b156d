package callguide.app;

import callguide.relay.Faults;
import callguide.relay.RelayConfig;
import java.util.Map;

/**
 * What a call in this process runs under, from its flags: {@code --faults LIST}, the relay
 * misbehaving on purpose (relay/PROTOCOL.md). {@code ./workshop run}, {@code demo} and
 * {@code call} take the same flags, so a later step's run takes them too.
 */
public record Conditions(Faults faults) {

    /** The flags that take a value, for {@link Flags#parse}. */
    public static final String[] FLAGS = {"faults"};

    /** What {@code --help} and usage lines say about them. */
    public static final String USAGE = "[--faults " + Faults.NAMES.replace(", ", "|") + ",...]";

    public static Conditions none() {
        return new Conditions(Faults.none());
    }

    /** From parsed flags; a bad value is an {@link IllegalArgumentException} naming the flag. */
    public static Conditions from(Map<String, String> flags) {
        Faults faults = Faults.none();
        if (flags.containsKey("faults")) {
            try {
                faults = Faults.parse(flags.get("faults"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--faults: " + e.getMessage());
            }
        }
        return new Conditions(faults);
    }

    /** The relay's settings with these conditions. */
    public RelayConfig onRelay(RelayConfig relay) {
        return relay.withFaults(faults);
    }

    /** The lines to print before the call, saying what is on (none when nothing is). */
    public java.util.List<String> describe() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        if (faults.any()) {
            lines.add("relay faults on: " + faults
                    + (faults.earlyCandidates()
                            ? " (every candidate arrives before the offer or answer it follows:"
                                    + " watch for candidate-queued)"
                            : ""));
        }
        return lines;
    }

    /**
     * What the faults on may have done to a call that did not come up, in the guide's words, one line a fault; null
     * when none of them can stop a call.
     */
    public String explainFailure() {
        java.util.List<String> why = new java.util.ArrayList<>();
        if (faults.earlyCandidates()) {
            why.add("early-candidates: each candidate reaches the other peer before its offer or answer; added before"
                    + " the remote description, a candidate is dropped without a word, so each side must hold them"
                    + " until then (the guide's remoteCandidates queue, step05's CandidateQueue)");
        }
        if (faults.duplicate()) {
            why.add("duplicate: every message comes twice; a second offer or answer, applied again in the wrong"
                    + " signalling state, fails: a peer must recognise what it has already seen");
        }
        return why.isEmpty() ? null : String.join("\n", why);
    }
}
