package callguide.kit.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link Link} does to each packet, as {@code --link} takes it:
 * {@code delay=150ms,jitter=20ms,loss=20%,rate=500kbps,cut-at=3s,cut-for=2s,direct=off}, any subset in any order.
 *
 * @param delay       added to every packet, each way
 * @param jitter      each packet's delay varies by up to this much either side (so packets may overtake)
 * @param lossPercent the share of packets dropped at random, each way, 0 to 100
 * @param rateKbps    the bandwidth cap each way in kilobits a second; 0: none. Packets beyond it wait in a queue of at
 *                    most {@link Link#QUEUE_LIMIT} of sending time, then are dropped
 * @param cutAt       when, after the first packet, every packet starts being dropped (null: never)
 * @param cutFor      how long that cut lasts before it heals (null: until {@link Link#heal()})
 * @param direct      whether packets between the peers' own addresses (host, srflx) pass; off, only what goes
 *                    through a TURN server does (relay candidates are never routed through the link): a
 *                    restrictive network, as on many a company's or hotel's, where only a relayed call (step06
 *                    task 1) connects
 */
public record LinkSettings(
        Duration delay,
        Duration jitter,
        double lossPercent,
        int rateKbps,
        Duration cutAt,
        Duration cutFor,
        boolean direct) {

    /** What {@link #parse} takes, for messages and usage lines. */
    public static final String SYNTAX = "delay=MS,jitter=MS,loss=P%,rate=KBPS,cut-at=S,cut-for=S,direct=on|off";

    public LinkSettings {
        require(delay != null && !delay.isNegative() && delay.toMillis() <= 10_000, "delay takes 0 to 10000 ms");
        require(jitter != null && !jitter.isNegative() && jitter.toMillis() <= 10_000, "jitter takes 0 to 10000 ms");
        require(lossPercent >= 0 && lossPercent <= 100, "loss takes 0% to 100%");
        require(rateKbps >= 0 && rateKbps <= 10_000_000, "rate takes 0 (none) to 10000000 kbps");
        require(cutAt == null || !cutAt.isNegative(), "cut-at takes a time from 0 s");
        require(
                cutFor == null || (cutAt != null && !cutFor.isNegative() && !cutFor.isZero()),
                "cut-for needs cut-at, and a time above 0 s");
    }

    /** A perfect link: every packet through, at once. */
    public static LinkSettings perfect() {
        return new LinkSettings(Duration.ZERO, Duration.ZERO, 0, 0, null, null, true);
    }

    /** A perfect link but for {@code direct=off}: only relayed packets pass, at once. */
    public static LinkSettings restrictive() {
        return perfect().withDirect(false);
    }

    /**
     * {@code delay=150ms,jitter=20ms,loss=20%,rate=500kbps,cut-at=3s,cut-for=2s}: times take {@code ms} or {@code s}
     * (a bare number of delay or jitter is milliseconds, of cut-at or cut-for seconds); anything else is refused
     * with what is accepted.
     */
    public static LinkSettings parse(String spec) {
        Duration delay = Duration.ZERO;
        Duration jitter = Duration.ZERO;
        double loss = 0;
        int rate = 0;
        Duration cutAt = null;
        Duration cutFor = null;
        boolean direct = true;
        for (String raw : spec.split(",")) {
            String item = raw.trim();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("\"" + item + "\" is not NAME=VALUE: the link takes " + SYNTAX);
            }
            String name = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "delay" -> delay = time(name, value, false);
                case "jitter" -> jitter = time(name, value, false);
                case "loss" ->
                    loss = number(name, value.endsWith("%") ? value.substring(0, value.length() - 1) : value);
                case "rate" ->
                    rate = (int) number(name, value.endsWith("kbps") ? value.substring(0, value.length() - 4) : value);
                case "cut-at" -> cutAt = time(name, value, true);
                case "cut-for" -> cutFor = time(name, value, true);
                case "direct" -> direct = onOff(name, value);
                default ->
                    throw new IllegalArgumentException(
                            "unknown link setting \"" + name + "\": the link takes " + SYNTAX);
            }
        }
        if (cutFor != null && cutAt == null) {
            throw new IllegalArgumentException("cut-for needs cut-at: when the cut starts");
        }
        return new LinkSettings(delay, jitter, loss, rate, cutAt, cutFor, direct);
    }

    public LinkSettings withDelay(Duration delay) {
        return new LinkSettings(delay, jitter, lossPercent, rateKbps, cutAt, cutFor, direct);
    }

    public LinkSettings withJitter(Duration jitter) {
        return new LinkSettings(delay, jitter, lossPercent, rateKbps, cutAt, cutFor, direct);
    }

    public LinkSettings withLoss(double lossPercent) {
        return new LinkSettings(delay, jitter, lossPercent, rateKbps, cutAt, cutFor, direct);
    }

    public LinkSettings withRateKbps(int rateKbps) {
        return new LinkSettings(delay, jitter, lossPercent, rateKbps, cutAt, cutFor, direct);
    }

    public LinkSettings withDirect(boolean direct) {
        return new LinkSettings(delay, jitter, lossPercent, rateKbps, cutAt, cutFor, direct);
    }

    /** As {@link #parse} takes it; {@code perfect} when nothing is set. */
    @Override
    public String toString() {
        List<String> on = new ArrayList<>();
        if (!delay.isZero()) {
            on.add("delay=" + delay.toMillis() + "ms");
        }
        if (!jitter.isZero()) {
            on.add("jitter=" + jitter.toMillis() + "ms");
        }
        if (lossPercent > 0) {
            on.add("loss="
                    + (lossPercent == Math.rint(lossPercent)
                            ? String.valueOf((long) lossPercent)
                            : String.valueOf(lossPercent))
                    + "%");
        }
        if (rateKbps > 0) {
            on.add("rate=" + rateKbps + "kbps");
        }
        if (cutAt != null) {
            on.add("cut-at=" + seconds(cutAt));
        }
        if (cutFor != null) {
            on.add("cut-for=" + seconds(cutFor));
        }
        if (!direct) {
            on.add("direct=off");
        }
        return on.isEmpty() ? "perfect" : String.join(",", on);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static Duration time(String name, String value, boolean bareIsSeconds) {
        String number = value;
        double scale = bareIsSeconds ? 1000 : 1;
        if (value.endsWith("ms")) {
            number = value.substring(0, value.length() - 2);
            scale = 1;
        } else if (value.endsWith("s")) {
            number = value.substring(0, value.length() - 1);
            scale = 1000;
        }
        return Duration.ofMillis(Math.round(number(name, number) * scale));
    }

    private static boolean onOff(String name, String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(name + " takes on or off, not \"" + value + "\"");
        };
    }

    private static double number(String name, String value) {
        try {
            double n = Double.parseDouble(value.trim());
            if (n >= 0 && Double.isFinite(n)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(name + " takes a number from 0, not \"" + value + "\"");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
