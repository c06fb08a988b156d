package callguide.tools;

import java.nio.file.Path;

/**
 * One step of the workshop, as the build names it: its module ({@code step04-offer-answer}) and
 * what follows from that name.
 */
public record Step(String module, int number) {

    /** Two digits: {@code 04}. */
    public String no() {
        return String.format("%02d", number);
    }

    /** {@code callguide.step04}. */
    public String packageName() {
        return Layout.STEP_PACKAGE + no();
    }

    /** The step's run program: {@code Step04OfferAnswer} in {@link Layout#RUN_PACKAGE}. */
    public String runMain() {
        return Layout.RUN_PACKAGE + "." + camelCase(module);
    }

    /** {@code step04-offer-answer} -> {@code Step04OfferAnswer}. */
    static String camelCase(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("-")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }

    public Path dir(Path root) {
        return root.resolve(module);
    }

    public Path mainSources(Path root) {
        return dir(root).resolve("src").resolve("main").resolve("java");
    }

    public Path testSources(Path root) {
        return dir(root).resolve("src").resolve("test").resolve("java");
    }

    public Path testResources(Path root) {
        return dir(root).resolve("src").resolve("test").resolve("resources");
    }

    public Path solutionSources(Path root) {
        return root.resolve(Layout.SOLUTIONS)
                .resolve(module)
                .resolve("src")
                .resolve("main")
                .resolve("java");
    }

    public Path hints(Path root) {
        return dir(root).resolve("HINTS.md");
    }

    /** The marker every exercise file carries: {@code TODO(step04)}. */
    public String todoMarker() {
        return "TODO(step" + no() + ")";
    }

    @Override
    public String toString() {
        return module;
    }
}
