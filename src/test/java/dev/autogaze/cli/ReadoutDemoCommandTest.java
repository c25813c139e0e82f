package dev.autogaze.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReadoutDemoCommandTest {

    @TempDir
    Path dir;

    private String run(String... args) {
        CommandLine cli = AutogazeCli.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute(args));
        return out.toString();
    }

    @Test
    void printsIdsCellsRectsAndCoordinatesOfTheExample() {
        File png = dir.resolve("demo.png").toFile();
        String out = run("readout-demo", "--out", png.getPath());
        // id 68 of frame 0: scale 2, cell (6, 6), model 192..224, source x * 320/224, y * 240/224.
        assertTrue(out.contains("  3     68   .     0  68     2   6   6  [192,192 - 224,224) "
                + "[274.286,205.714 - 320,240)"), out);
        assertTrue(out.contains("265 pad     0   -"), out);
        // frame 3's id 264 = global 3·265 + 264 = 1059 -> bin 1, token (13, 13) -> flat 196 + 195 = 391.
        assertTrue(out.contains("1059   .     3 264     3  13  13"), out);
        assertTrue(out.contains("[0, 1, 13, 13]->391"), out);
        assertTrue(out.contains("N = 38"), out);
    }

    @Test
    void writesAPngWithTheSelectedTokensShaded() throws Exception {
        File png = dir.resolve("sub/demo.png").toFile();
        run("readout-demo", "--out", png.getPath());
        BufferedImage img = ImageIO.read(png);
        int side = 224 * ReadoutPicture.PX;
        int m = ReadoutPicture.MARGIN;
        assertEquals(4 * (side + m) + m, img.getWidth());
        assertEquals(2 * (side + m) + m, img.getHeight());
        int binY = 2 * m + side;
        int token = 16 * ReadoutPicture.PX;
        // bin 0 holds token (0, 0) and not (5, 5); bin 1 holds (0, 13).
        assertEquals(ReadoutPicture.TOKEN.getRGB(), img.getRGB(m + token / 2, binY + token / 2));
        assertNotEquals(ReadoutPicture.TOKEN.getRGB(), img.getRGB(m + 5 * token + token / 2, binY + 5 * token
                + token / 2));
        int bin1 = m + 2 * (side + m);
        assertEquals(ReadoutPicture.TOKEN.getRGB(), img.getRGB(bin1 + 13 * token + token / 2, binY + token / 2));
    }

    @Test
    void withoutOutItWritesToTheTempFolderNotTheWorkingDirectory() {
        File stray = new File(System.getProperty("user.dir"), "readout-demo.png");
        File expected = new File(System.getProperty("java.io.tmpdir"), "autogaze-readout-demo.png");
        expected.delete();
        String out = run("readout-demo");
        assertTrue(out.contains("wrote " + expected.getPath()), out);
        assertTrue(expected.isFile());
        assertFalse(stray.exists(), "readout-demo wrote into the working directory");
        expected.delete();
    }

    @Test
    void helpNamesTheOutOption() {
        assertTrue(run("readout-demo", "--help").contains("--out=FILE.png"));
    }
}
