package callguide.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Machines made up for a test: which files exist, which programs are on PATH, whether we are root. */
final class Machines {
    private Machines() {}

    static final class Fake implements Platform.Machine {
        final Set<Path> files = new HashSet<>();
        final Set<String> programs = new HashSet<>();
        final Map<String, String> outputs = new HashMap<>();
        final List<String> ran = new ArrayList<>();
        final List<String> said = new ArrayList<>();
        boolean root;
        boolean runSucceeds = true;

        @Override
        public Optional<String> output(String... command) {
            return Optional.ofNullable(outputs.get(String.join(" ", command)));
        }

        @Override
        public boolean exists(Path path) {
            return files.contains(path);
        }

        @Override
        public List<Path> glob(Path dir, String glob) {
            var matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
            return files.stream()
                    .filter(f -> f.startsWith(dir) && matcher.matches(dir.relativize(f)))
                    .toList();
        }

        @Override
        public boolean isRoot() {
            return root;
        }

        @Override
        public boolean onPath(String program) {
            return programs.contains(program);
        }

        @Override
        public boolean run(String... command) {
            ran.add(String.join(" ", command));
            return runSucceeds;
        }

        @Override
        public void say(String line) {
            said.add(line);
        }
    }
}
