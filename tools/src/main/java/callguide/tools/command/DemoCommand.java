package callguide.tools.command;

import callguide.tools.Layout;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./workshop demo [--json]}: the relay, a caller and a callee (two JVMs), all from solutions/. */
@Command(name = "demo")
public final class DemoCommand extends WorkshopCommand {
    @Parameters(arity = "0..*", parameterConsumer = Rest.class)
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        ctx().preflight();
        doing("a real call from solutions/: the build, then a relay here and a caller and a callee, each a JVM of "
                + "its own (the call itself a few seconds)");
        builds().build(Layout.SOLUTIONS_FLAVOUR);
        return builds().javaMain(Layout.CALL_MODULE, Layout.SOLUTIONS_FLAVOUR, Layout.DEMO_MAIN, List.of(), args);
    }
}
