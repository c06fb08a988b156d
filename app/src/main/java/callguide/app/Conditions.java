package callguide.app;

import callguide.kit.net.Link;
import callguide.kit.net.LinkSettings;
import callguide.relay.Faults;
import callguide.relay.RelayConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a call in this process runs under, from its flags: {@code --faults LIST}, the relay
 * misbehaving on purpose (relay/PROTOCOL.md), and {@code --link SETTINGS}, the media between the
 * two peers carried by a {@link Link} with delay, jitter, loss, a bandwidth cap or a cut.
 * {@code ./workshop run}, {@code demo} and {@code call} take the same flags, so a later step's run
 * takes them too.
 *
 * @param faults what the relay does wrong on purpose ({@link Faults#none()}: nothing)
 * @param link   the link's settings; null: no link, the peers reach each other directly
 */
public record Conditions(Faults faults, LinkSettings link) {

    /** The flags that take a value, for {@link Flags#parse}. */
    public static final String[] FLAGS = {"faults", "link"};

    /** What usage lines say about them. */
    public static final String USAGE =
            "[--faults " + Faults.NAMES.replace(", ", "|") + ",...] [--link " + LinkSettings.SYNTAX + "]";

    public static Conditions none() {
        return new Conditions(Faults.none(), null);
    }

    /** From parsed flags; a bad value is an {@link IllegalArgumentException} naming the flag. */
    public static Conditions from(Map<String, String> flags) {
        Faults faults = Faults.none();
        LinkSettings link = null;
        try {
            if (flags.containsKey("faults")) {
                faults = Faults.parse(flags.get("faults"));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--faults: " + e.getMessage());
        }
        try {
            if (flags.containsKey("link")) {
                link = LinkSettings.parse(flags.get("link"));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--link: " + e.getMessage());
        }
        return new Conditions(faults, link);
    }

    /** The link these conditions ask for, started; null when they ask for none. */
    public Link startLink() {
        return link == null ? null : Link.start(link);
    }

    /** The relay's settings with these conditions: its faults, and every candidate routed through {@code link}. */
    public RelayConfig onRelay(RelayConfig relay, Link link) {
        return relay.withFaults(faults).withCandidateRoute(link == null ? null : link::route);
    }

    /**
     * How long to keep a call up once it connected, to watch it through the link: past its cut and heal and a few
     * seconds more; zero without a link, or with one that only blocks direct packets.
     */
    public Duration watchFor() {
        if (link == null || link.equals(LinkSettings.restrictive())) {
            return Duration.ZERO; // direct=off alone shapes nothing: a relayed call up is all there is to see
        }
        if (link.cutAt() == null) {
            return Duration.ofSeconds(5);
        }
        return link.cutAt()
                .plus(
                        link.cutFor() == null
                                ? Duration.ofSeconds(8)
                                : link.cutFor().plusSeconds(5));
    }

    /** The lines to print before the call, saying what is on (none when nothing is). */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (faults.any()) {
            lines.add("relay faults on: " + faults
                    + (faults.earlyCandidates()
                            ? " (every candidate arrives before the offer or answer it follows:"
                                    + " watch for candidate-queued)"
                            : ""));
        }
        if (link != null) {
            lines.add("link on: " + link + " (the media goes through a UDP forwarder on 127.0.0.1"
                    + (link.cutAt() != null ? "; a cut counts from its first packet" : "")
                    + (link.direct() ? "" : "; direct=off: nothing direct passes, only what goes through a TURN server")
                    + ")");
        }
        return lines;
    }

    /**
     * What the faults on may have done to a call that did not come up, in the guide's words, one line a fault; null
     * when none of them can stop a call.
     */
    public String explainFailure() {
        List<String> why = new ArrayList<>();
        if (faults.earlyCandidates()) {
            why.add("early-candidates: each candidate reaches the other peer before its offer or answer; added before"
                    + " the remote description, a candidate is dropped without a word, so each side must hold them"
                    + " until then (the guide's remoteCandidates queue, step05's CandidateQueue)");
        }
        if (faults.duplicate()) {
            why.add("duplicate: every message comes twice; a second offer or answer, applied again in the wrong"
                    + " signalling state, fails: a peer must recognise what it has already seen");
        }
        if (link != null && !link.direct()) {
            why.add("direct=off: the link drops every packet between the peers' own addresses (host, srflx); only a"
                    + " relay candidate, an address on a TURN server, gets a call through such a network");
        }
        return why.isEmpty() ? null : String.join("\n", why);
    }
}
