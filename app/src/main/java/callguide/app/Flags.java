package callguide.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} and {@code --switch} command-line flags. */
public final class Flags {

    private Flags() {}

    /** Flags named in {@code withValue} take the next argument; any other {@code --flag} is a switch. */
    public static Map<String, String> parse(String[] args, String... withValue) {
        List<String> valued = List.of(withValue);
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
            String name = args[i].substring(2);
            if (valued.contains(name)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                flags.put(name, args[++i]);
            } else {
                flags.put(name, "true");
            }
        }
        return flags;
    }

    public static String required(Map<String, String> flags, String name) {
        String value = flags.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** A whole number flag between {@code min} and {@code max}, or {@code otherwise} when absent. */
    public static long number(Map<String, String> flags, String name, long otherwise, long min, long max) {
        String value = flags.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(
                "--" + name + " takes a whole number from " + min + " to " + max + ", not \"" + value + "\"");
    }
}
