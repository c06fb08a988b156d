package callguide.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One (transport, rooms) measurement of {@code bench relay}; with {@code --vs peerjs} also what {@link Versus} holds.
 */
record RelayResult(
        String transport,
        int rooms,
        double offeredPerS,
        Percentiles latency,
        double msgsPerS,
        long sent,
        long delivered,
        long errors,
        String failure,
        Versus versus) {

    /**
     * What {@code --vs peerjs} adds: the payload, the joins and their time, how evenly the pairs were served flat
     * out, and the server's memory idle and after the traffic (null and NaN where not measured); {@code
     * generatorBusy}: the load generator's CPU time flat out over the phase's wall time (its cores' worth busy: well
     * under 1 on its one core says the figure is the server's, not the generator's); {@code serverBusy}: the same
     * of the server's process (NaN when the server is in this JVM).
     */
    record Versus(
            String payload,
            double joinsMs,
            int joins,
            double fairness,
            ServerProcess.Memory idle,
            ServerProcess.Memory after,
            double generatorBusy,
            double serverBusy) {
        static final Versus NONE = new Versus(null, Double.NaN, 0, Double.NaN, null, null);

        /** Without the load generator's figure (a configuration that did not get as far as flat out). */
        Versus(
                String payload,
                double joinsMs,
                int joins,
                double fairness,
                ServerProcess.Memory idle,
                ServerProcess.Memory after) {
            this(payload, joinsMs, joins, fairness, idle, after, Double.NaN, Double.NaN);
        }
    }

    /** This measurement with the server's memory when idle taken elsewhere (at its start). */
    RelayResult withIdle(ServerProcess.Memory idle) {
        Versus v = new Versus(
                payload(), joinsMs(), joins(), fairness(), idle, after(), versus.generatorBusy(), versus.serverBusy());
        return new RelayResult(transport, rooms, offeredPerS, latency, msgsPerS, sent, delivered, errors, failure, v);
    }

    String payload() {
        return versus.payload();
    }

    double joinsMs() {
        return versus.joinsMs();
    }

    int joins() {
        return versus.joins();
    }

    double fairness() {
        return versus.fairness();
    }

    ServerProcess.Memory idle() {
        return versus.idle();
    }

    ServerProcess.Memory after() {
        return versus.after();
    }

    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("transport", transport);
        out.put("rooms", rooms);
        out.put("p50_ms", round2(latency.median()));
        out.put("p99_ms", round2(latency.p99()));
        out.put("max_ms", round2(latency.max()));
        out.put("msgs_per_s", Math.round(msgsPerS));
        out.put("offered_msgs_per_s", Math.round(offeredPerS));
        out.put("sent", sent);
        out.put("delivered", delivered);
        out.put("errors", errors);
        if (failure != null) {
            out.put("failure", failure);
        }
        return out;
    }

    boolean ok() {
        return failure == null && delivered == sent && errors == 0;
    }

    /** One line: the figures, the counts, and what went wrong. */
    String describe() {
        String figures = String.format(
                Locale.ROOT,
                "p50 %.2f  p99 %.2f  max %.2f ms at %,.0f msgs/s offered; %,.0f msgs/s flat out",
                latency.median(),
                latency.p99(),
                latency.max(),
                offeredPerS,
                msgsPerS);
        String counts = String.format(Locale.ROOT, " (%d/%d arrived, %d errors)", delivered, sent, errors);
        return figures + counts + (failure != null ? " -- " + failure : "");
    }

    /** Rounded to 0.01; null (JSON null) when there is no figure. */
    static Double round2(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : Math.round(value * 100) / 100.0;
    }
}
