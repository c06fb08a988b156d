package callguide.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** min, median, p90, p99, max of a list of milliseconds; nearest-rank percentiles. */
public record Percentiles(int count, double min, double median, double p90, double p99, double max) {

    public static Percentiles of(List<Double> values) {
        if (values.isEmpty()) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return new Percentiles(
                sorted.size(),
                sorted.get(0),
                rank(sorted, 50),
                rank(sorted, 90),
                rank(sorted, 99),
                sorted.get(sorted.size() - 1));
    }

    private static double rank(List<Double> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** {@code {"min", "median", "p90", "max"}}, rounded to 0.1 ms. */
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("min", round(min));
        json.put("median", round(median));
        json.put("p90", round(p90));
        json.put("max", round(max));
        return json;
    }

    public static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 10) / 10.0;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "min %.1f  median %.1f  p90 %.1f  max %.1f ms (n=%d)", min, median, p90, max, count);
    }
}
