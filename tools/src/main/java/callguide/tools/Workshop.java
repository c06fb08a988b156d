package callguide.tools;

import callguide.tools.command.BenchCommand;
import callguide.tools.command.CallCommand;
import callguide.tools.command.CheckCommand;
import callguide.tools.command.ClassCommand;
import callguide.tools.command.DemoCommand;
import callguide.tools.command.DiffCommand;
import callguide.tools.command.GradeCommand;
import callguide.tools.command.HelpCommand;
import callguide.tools.command.HintCommand;
import callguide.tools.command.ListCommand;
import callguide.tools.command.PeerCommand;
import callguide.tools.command.RelayCommand;
import callguide.tools.command.ResetCommand;
import callguide.tools.command.RestoreCommand;
import callguide.tools.command.RunCommand;
import callguide.tools.command.TestCommand;
import callguide.tools.command.WatchCommand;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * callguide's one command, for learners, instructors, graders and CI: {@code ./workshop COMMAND}
 * ({@code workshop COMMAND} on Windows). The launchers build this module once and start this
 * class; each command is a class of its own in {@code callguide.tools.command}.
 */
@Command(
        name = "workshop",
        subcommands = {
            DemoCommand.class,
            CallCommand.class,
            RunCommand.class,
            CheckCommand.class,
            GradeCommand.class,
            ClassCommand.class,
            WatchCommand.class,
            ListCommand.class,
            HintCommand.class,
            ResetCommand.class,
            RestoreCommand.class,
            DiffCommand.class,
            RelayCommand.class,
            PeerCommand.class,
            TestCommand.class,
            BenchCommand.class,
            HelpCommand.class
        })
public final class Workshop {
    private final Context ctx;

    public Workshop(Context ctx) {
        this.ctx = ctx;
    }

    public Context context() {
        return ctx;
    }

    public static void main(String[] args) {
        int status = run(Context.current(), args);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** Runs one command line; its exit status (2: a usage error). */
    public static int run(Context ctx, String... args) {
        List<String> line = Arrays.asList(args);
        String command = line.isEmpty() ? "help" : line.get(0);
        if (List.of("-h", "--help").contains(command) || line.isEmpty()) {
            args = new String[] {"help"};
            command = "help";
        }
        CommandLine cli = commandLine(ctx);
        if (!cli.getSubcommands().containsKey(command)) {
            ctx.err().print(usage(ctx));
            ctx.err().flush();
            return 2;
        }
        return cli.execute(args);
    }

    static CommandLine commandLine(Context ctx) {
        CommandLine cli = new CommandLine(new Workshop(ctx));
        cli.setExpandAtFiles(false);
        // The commands check their own arguments, with the messages ./workshop has always given.
        cli.setUnmatchedOptionsArePositionalParams(true);
        cli.setOverwrittenOptionsAllowed(true);
        cli.setOut(new java.io.PrintWriter(ctx.out(), true));
        cli.setErr(new java.io.PrintWriter(ctx.err(), true));
        cli.setParameterExceptionHandler((e, args) -> {
            ctx.say("workshop: " + e.getMessage());
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof WorkshopException w) {
                if (w.getMessage() != null) {
                    ctx.say("workshop: " + w.getMessage());
                }
                return w.exitCode();
            }
            throw e;
        });
        return cli;
    }

    /** {@code ./workshop help}. */
    public static String usage(Context ctx) {
        Step example = ctx.steps().all().get(Math.min(3, ctx.steps().all().size() - 1));
        return String.join(
                System.lineSeparator(),
                "usage: ./workshop COMMAND [ARGS]",
                "",
                "  demo [--json] [--watch]               a real call: relay + caller + callee (two JVMs), from "
                        + "solutions/",
                // A call stands on steps 01 to 05; step06 (a misbehaving network) is run 06's, not the call's.
                "  call [--json] [--watch]               the same call with your own code; names the first unfinished"
                        + " step",
                "                                        --watch: time to open the live view (the call's sequence "
                        + "diagram) first",
                "  call --relay URL --room R --role caller|callee [--fingerprint FP] [--json]",
                "                                        one side of a call, your own code, against a relay on any"
                        + " machine",
                "  run STEP [--solutions] [ARGS]         run one step's program and watch its events",
                "  demo, call, run 04/05/06 also take:   --faults LIST (the relay misbehaves on purpose: "
                        + "early-candidates,",
                "                                        duplicate, reorder, delay=MS, no-websocket) and --link "
                        + "SETTINGS (the media",
                "                                        through a link: delay=MS,jitter=MS,loss=P%,rate=KBPS,"
                        + "cut-at=S,cut-for=S,",
                "                                        direct=on|off; off: only relayed (TURN) packets pass)",
                "  check [STEP] [--solutions] [--json]   grade one step or all, each in isolation",
                "  grade DIR [--json] [--out DIR]        grade a learner's clone on the tests committed here (only its "
                        + "src/main/java)",
                "  class FORKS [--out DIR] [--jobs N] [--timeout-per-fork S] [--fresh]",
                "                                        grade a class of forks (a git URL or folder a line, a name "
                        + "after it) into a scoreboard",
                "  watch STEP [--solutions]              keep a JVM warm and re-run a step's tests each time you save",
                "  list                                  where you are: the tasks left and the last grade of each step",
                "  hint STEP [TASK] [--answer]           the next hint, one at a time; --answer: the whole answer",
                "  reset STEP                            back to the untouched exercise; your version goes to "
                        + ".workshop/backup/",
                "  restore STEP                          your version the last reset kept, back in place",
                "  diff STEP                             your code against the reference solution",
                "  relay [--host H] [--port P] [--turn] [--relay-only] [--no-tls] [--help]",
                "                                        the relay alone, for a room of learners (HTTPS beyond "
                        + "loopback; --turn runs coturn)",
                "  peer --relay URL --room R --peer ID --role caller|callee [--fingerprint FP] [--json] [--mine]",
                "                                        one Java peer (the reference steps) against any relay "
                        + "speaking protocol v1",
                "  test                                  the workshop's own suite (what CI runs)",
                "  bench call [--calls N] [--warmup W] [--json]   a call's set-up through the relay vs in memory",
                "  bench relay [--json]                  forwarding latency and msgs/s vs a bare Jetty echo",
                "  bench check [--json]                  how long check and a watch re-run take",
                "  bench class [--forks N] [--fresh] [--jobs N] [--out DIR] [--json]",
                "                                        a generated class (30 forks at mixed stages) graded by class;"
                        + " where its time goes",
                "  bench soak [--calls N]                back-to-back calls; memory before and after",
                "  bench abuse [--seconds S] [--heap MB] each attack on a relay of its own: heap and a fresh "
                        + "exchange's latency",
                "",
                "STEP may be written " + example.number() + ", " + example.no() + ", step" + example.no() + " or "
                        + example.module() + ".",
                "");
    }
}
