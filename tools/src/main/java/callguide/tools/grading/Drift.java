package callguide.tools.grading;

import callguide.tools.Processes;
import callguide.tools.Step;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What in a learner's clone differs from the commit they cloned, among what grades them: each step's tests, the kit,
 * the testkit, the poms. A learner's own {@code check} grades their copy of those; {@code ./workshop grade} uses the
 * instructor's, so {@code check} warns, one line a thing, when they differ.
 *
 * <p>The commit they cloned: the merge-base of {@code HEAD} with the branch it tracks ({@code @{upstream}}, else
 * {@code origin/HEAD}), the newest of the instructor's commits the learner's work stands on. Their own commits then
 * count as changes, uncommitted ones and new files too; pulling the instructor's later commits moves it forward, so
 * an update is no change. A clone with neither (a copy, a fork's remote renamed) falls back to its first commit.
 */
public final class Drift {
    private Drift() {}

    /** The warnings, one a changed thing, for the learner's clone at {@code root}; none without git. */
    public static List<String> warnings(Path root, List<Step> steps) {
        Optional<String> base = cloned(root);
        if (base.isEmpty()) {
            return List.of();
        }
        Map<String, String> things = new LinkedHashMap<>();
        for (Step step : steps) {
            things.put(step.module() + "/src/test", step.module() + "'s tests");
        }
        things.put("kit", "the kit");
        things.put("testkit", "the testkit");
        List<String> paths = new ArrayList<>(things.keySet());
        paths.addAll(List.of("pom.xml", "*/pom.xml"));
        TreeSet<String> changed = new TreeSet<>();
        List<String> diff =
                new ArrayList<>(List.of("git", "-C", root.toString(), "diff", "--name-only", base.get(), "--"));
        diff.addAll(paths);
        List<String> added = new ArrayList<>(
                List.of("git", "-C", root.toString(), "ls-files", "--others", "--exclude-standard", "--"));
        added.addAll(paths);
        for (List<String> command : List.of(diff, added)) {
            Processes.output(command)
                    .ifPresent(
                            out -> out.lines().filter(line -> !line.isBlank()).forEach(changed::add));
        }
        String commit = base.get().substring(0, Math.min(12, base.get().length()));
        List<String> warnings = new ArrayList<>();
        Map<String, List<String>> byThing = new LinkedHashMap<>();
        things.values().forEach(thing -> byThing.put(thing, new ArrayList<>())); // the steps first, then the kits
        for (String file : changed) {
            String thing = file.endsWith("pom.xml")
                    ? file
                    : things.entrySet().stream()
                            .filter(t -> file.startsWith(t.getKey() + "/"))
                            .map(Map.Entry::getValue)
                            .findFirst()
                            .orElse(file);
            byThing.computeIfAbsent(thing, t -> new ArrayList<>()).add(file);
        }
        byThing.entrySet().removeIf(thing -> thing.getValue().isEmpty());
        byThing.forEach((thing, files) -> warnings.add("warning: changed since the commit you cloned (" + commit + "): "
                + thing + " (" + (files.size() == 1 ? files.get(0) : files.size() + " files: " + files.get(0) + " ...")
                + "); check grades what is here, your instructor grades with theirs"));
        return warnings;
    }

    /** The commit the clone at {@code root} was cloned from, as the class comment says. */
    static Optional<String> cloned(Path root) {
        for (String upstream : List.of("@{upstream}", "origin/HEAD")) {
            Optional<String> base = Processes.output(
                            List.of("git", "-C", root.toString(), "merge-base", "HEAD", upstream))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty());
            if (base.isPresent()) {
                return base;
            }
        }
        return Processes.output(List.of("git", "-C", root.toString(), "rev-list", "--max-parents=0", "HEAD"))
                .map(String::strip)
                .filter(s -> !s.isEmpty() && !s.contains("\n"));
    }
}
