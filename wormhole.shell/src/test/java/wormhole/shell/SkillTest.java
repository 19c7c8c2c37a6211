package wormhole.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import wormhole.api.EndReason;
import wormhole.api.spi.LinkEvent;
import wormhole.shell.cli.CommandSpec;
import wormhole.shell.cli.Commands;
import wormhole.shell.cli.ExitCode;
import wormhole.shell.cli.Help;
import wormhole.shell.cli.ParsedArgs;
import wormhole.shell.cli.UsageException;
import wormhole.shell.command.InteractiveCommands;

/** The skill teaches only what the tool really does: its commands, options, JSON lines and exit codes. */
class SkillTest {
    private static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w*)\\n(.*?)^```");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String skill = InteractiveCommands.skill();

    private List<String> blocks(String language) {
        List<String> found = new ArrayList<>();
        Matcher m = FENCE.matcher(skill);
        while (m.find()) {
            if (m.group(1).equals(language)) {
                found.add(m.group(2));
            }
        }
        return found;
    }

    @Test
    void everyCommandInTheSkillParsesWithTheCliParser() throws UsageException {
        int checked = 0;
        Set<String> used = new HashSet<>();
        for (String block : blocks("bash")) {
            for (String line : block.split("\n")) {
                List<String> words = commandWords(line);
                if (words.isEmpty() || !words.get(0).equals("agent-wormhole")) {
                    continue;
                }
                Optional<CommandSpec> spec = Commands.find(words.get(1));
                assertTrue(spec.isPresent(), () -> "the skill uses an unknown command: " + line);
                ParsedArgs.parse(spec.get(), words.subList(2, words.size()));
                used.add(words.get(1));
                checked++;
            }
        }
        assertTrue(checked >= 10, "too few commands found in the skill: " + checked);
        assertEquals(Set.of("host", "connect", "send", "close", "status"), used);
    }

    @Test
    void theCommandCheckRejectsWhatTheCliRejects() {
        List<String> bogus = commandWords("agent-wormhole send CODE --bogus < x");
        assertEquals(List.of("agent-wormhole", "send", "CODE", "--bogus"), bogus);
        assertThrowsUsage(() -> ParsedArgs.parse(Commands.SEND, bogus.subList(2, bogus.size())));
    }

    @Test
    void everyOptionTheSkillMentionsInProseExists() {
        Set<String> known = new HashSet<>();
        Commands.ALL.forEach(c -> c.options().forEach(o -> known.add(o.name())));
        known.add("--help"); // every command takes it (Main)
        String prose = FENCE.matcher(skill).replaceAll("");
        Matcher m = Pattern.compile("`[^`\\n]*?(--[a-z][a-z0-9-]*)[^`\\n]*`").matcher(prose);
        int seen = 0;
        while (m.find()) {
            assertTrue(known.contains(m.group(1)), () -> "the skill mentions an unknown option " + m.group(1));
            seen++;
        }
        assertTrue(seen > 0);
    }

    @Test
    void everyJsonLineHasTheShapeTheToolPrints() throws Exception {
        Map<String, Set<String>> fields = jsonShapes();
        int checked = 0;
        for (String block : blocks("json")) {
            for (String line : block.split("\n")) {
                JsonNode node = JSON.readTree(line);
                String type = node.path("type").asText();
                String key = type.equals("status") ? "status/" + node.path("event").asText() : type;
                Set<String> allowed = fields.get(key);
                assertTrue(allowed != null, () -> "the tool never prints " + key + ": " + line);
                node.fieldNames().forEachRemaining(f -> assertTrue(allowed.contains(f) || f.equals("type") || f.equals("event"),
                        () -> key + " has no field " + f + ": " + line));
                checked++;
            }
        }
        assertTrue(checked >= 15, "too few JSON lines found in the skill: " + checked);
    }

    /** What ChannelRunner, LocalCommands and JsonOut print, type by type; the event names come from the API's enums. */
    private static Map<String, Set<String>> jsonShapes() {
        Map<String, Set<String>> shapes = new HashMap<>();
        shapes.put("status/channel", Set.of("code", "role", "mode"));
        for (LinkEvent e : LinkEvent.values()) {
            shapes.put("status/" + e.name().toLowerCase(Locale.ROOT), Set.of("role"));
        }
        shapes.put("status/connected", Set.of("role", "verifier", "features", "peer"));
        for (EndReason r : EndReason.values()) {
            shapes.put("status/" + r.statusEvent(), Set.of("role", "detail"));
        }
        shapes.put("status/connection_failed", Set.of("role", "detail"));
        shapes.put("status/error", Set.of("role", "error", "detail"));
        shapes.put("status/no_channels", Set.of());
        shapes.put("text", Set.of("body", "saved_to", "size"));
        shapes.put("file", Set.of("name", "saved_to", "size", "kind", "files"));
        shapes.put("progress", Set.of("name", "bytes", "size"));
        shapes.put("error", Set.of("error", "name", "detail"));
        shapes.put("sent", Set.of("kind", "name", "size", "confirmed"));
        shapes.put("channel", Set.of("role", "mode", "nameplate", "state", "pid"));
        return shapes;
    }

    @Test
    void theExitStatusTableIsTheCliOwn() {
        for (ExitCode code : ExitCode.values()) {
            assertTrue(Pattern.compile("(?m)^\\| " + code.status() + " \\| " + Pattern.quote(code.meaning())).matcher(skill).find(),
                    () -> "the skill's exit table lacks " + code.status() + " " + code.meaning());
        }
        Matcher rows = Pattern.compile("(?m)^\\| (\\d+) \\|").matcher(skill);
        int n = 0;
        while (rows.find()) {
            n++;
        }
        assertEquals(ExitCode.values().length, n);
    }

    @Test
    void theSkillKeepsSecretsOffTheCommandLineAndMarksMessages() {
        assertTrue(skill.startsWith("---\nname: agent-wormhole\ndescription: "));
        assertTrue(skill.contains("--stdin"));
        assertTrue(skill.contains("**Secrets never go on a command line**"));
        assertTrue(skill.contains("from peer:"));
        assertTrue(skill.contains("sent:"));
    }

    @Test
    void setupPrintWritesTheSkillItself() {
        Run r = run("setup", "--print");
        assertEquals(0, r.status);
        assertEquals(skill, r.out);
    }

    @Test
    void setupWithoutATerminalPrintsTheCommandsThatLinkTheSkill() {
        Run r = run("setup");
        assertEquals(0, r.status);
        assertTrue(r.out.contains("mkdir -p \"$HOME/.claude/skills/agent-wormhole\"\n"), r.out);
        // Under the tests java.home is a JDK with no skill file, so the skill is copied instead.
        assertTrue(r.out.contains("agent-wormhole setup --print > \"$HOME/.claude/skills/agent-wormhole/SKILL.md\"\n"), r.out);
    }

    @Test
    void installedImageSetupLinksToTheImageFile() {
        String text = InteractiveCommands.instructions(Optional.of(Path.of("/opt/agent wormhole/skill/SKILL.md")));
        assertTrue(text.contains("\nln -sfn '/opt/agent wormhole/skill/SKILL.md' \"$HOME/.claude/skills/agent-wormhole/SKILL.md\"\n"), text);
        assertFalse(text.contains("--print"), text);
        assertEquals("'it'\\''s'", InteractiveCommands.quote("it's"));
    }

    @Test
    void helpListsShellAndSetup() {
        String help = Help.text();
        assertTrue(help.contains("agent-wormhole shell"), help);
        assertTrue(help.contains("agent-wormhole setup"), help);
    }

    private record Run(int status, String out) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(Arrays.asList(args), Map.of(), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8));
    }

    /**
     * The words of one shell line as the command would get them: leading {@code NAME=value}
     * assignments and redirections are dropped, quotes removed. Not a full shell; enough for the skill.
     */
    static List<String> commandWords(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)").matcher(line.strip());
        boolean redirect = false;
        while (m.find()) {
            String w = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            boolean bare = m.group(3) != null;
            if (redirect) {
                redirect = false;
            } else if (bare && (w.equals("<") || w.equals(">") || w.equals(">>") || w.equals("|"))) {
                redirect = true;
            } else if (bare && words.isEmpty() && w.matches("[A-Z_]+=.*")) {
                continue;
            } else {
                words.add(w);
            }
        }
        return words;
    }

    private static void assertThrowsUsage(Executable e) {
        try {
            e.run();
            fail("expected a usage error");
        } catch (UsageException expected) {
            assertFalse(expected.getMessage().isEmpty());
        }
    }

    @FunctionalInterface
    private interface Executable {
        void run() throws UsageException;
    }
}
