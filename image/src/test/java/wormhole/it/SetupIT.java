package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code agent-wormhole setup}: piped, it prints commands that link the skill to the image's own file. */
@Timeout(60)
class SetupIT {
    @TempDir
    Path home;

    @Test
    void pipedSetupLinksTheSkillToTheImageFile() throws IOException, InterruptedException {
        Image image = Image.locate();
        Image.Result setup = image.run("setup");
        assertEquals(0, setup.exitCode(), setup::toString);
        Path skillFile = image.home().resolve("skill").resolve("SKILL.md");
        assertTrue(setup.stdout().contains("\nln -sfn '" + skillFile + "' \"$HOME/.claude/skills/agent-wormhole/SKILL.md\"\n"),
                setup::toString);

        // Run the two commands exactly as printed, in a private HOME.
        String commands = setup.stdoutLines().stream()
                .filter(l -> l.startsWith("mkdir -p ") || l.startsWith("ln -sfn ")).reduce("", (a, b) -> a + b + "\n");
        Process run = new ProcessBuilder("env", "HOME=" + home, "sh", "-ec", commands).inheritIO().start();
        assertEquals(0, run.waitFor());
        Path link = home.resolve(".claude/skills/agent-wormhole/SKILL.md");
        assertTrue(Files.isSymbolicLink(link), link::toString);
        assertEquals(skillFile, Files.readSymbolicLink(link));

        Image.Result print = image.run("setup", "--print");
        assertEquals(0, print.exitCode(), print::toString);
        assertEquals(print.stdout(), Files.readString(link));
        assertTrue(print.stdout().startsWith("---\nname: agent-wormhole\n"));
    }
}
