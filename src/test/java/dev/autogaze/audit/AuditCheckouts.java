package dev.autogaze.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small training checkouts written by the tests. Every line the audit must report carries an {@code expect: RULE}
 * comment (comments are blanked before matching, so the marker itself never matches); every other line, however
 * close to a pattern, must not be reported.
 */
public final class AuditCheckouts {

    private AuditCheckouts() {
    }

    /** Rust with the guide's helpers, lifetimes and quote characters that a naive lexer would trip over. */
    static final String RUST_AUTOGAZE = """
            use burn_autogaze::AutoGazeGenerateOutput;
            const AUTOGAZE_CONNECTOR_TOKENS: usize = 265;

            // generated_frame_tokens used to live here, next to context_mask_from_autogaze_generated
            /* frame_idx * AUTOGAZE_CONNECTOR_TOKENS in a /* nested */ block comment */
            fn generated_frame_tokens<'a>(g: &'a AutoGazeGenerateOutput, frames: usize) -> Vec<Vec<usize>> { // expect: guide-generated-frame-tokens
                let label = "frame_idx * AUTOGAZE_CONNECTOR_TOKENS";
                let raw = r#"token % tokens_per_frame "quoted""#;
                let quote = '"';
                let escaped = '\\'';
                let frame_offset = (frame_idx * AUTOGAZE_CONNECTOR_TOKENS) as i64; // expect: frame-offset
                let token = raw_token - (self.frame_idx * self.tokens_per_frame) as i64; // expect: frame-offset
                let side = (tokens_per_frame as f32).sqrt() as usize; // expect: square-grid-guess
                let image_grid = autogaze_image_token_grid(autogaze_tokens_per_frame); // expect: square-grid-guess
                let local = token.rem_euclid(AUTOGAZE_CONNECTOR_TOKENS as i64); // expect: id-divmod
                let budget = max_gaze_tokens_each_frame * frames;
                let flat = (t * grid_h + row) * grid_w + col;
                'outer: for t in 0..frames { break 'outer; }
                let mask = context_mask_from_autogaze_generated(g, image_grid); // expect: guide-context-mask
                let both = generated_frame_tokens(g, 2).len() % tokens_per_frame; // expect: guide-generated-frame-tokens, id-divmod
                assert!(!src.contains("fn generated_frame_tokens"));
            }
            """;

    /** A model's own dense-grid arithmetic, in a file that never mentions AutoGaze: nothing to report. */
    static final String RUST_OWN_GRID = """
            pub fn unflatten(index: usize, grid: TokenGrid) -> (usize, usize, usize) {
                let tokens_per_frame = grid.tokens_per_frame();
                let frame = index / tokens_per_frame;
                let rem = index % tokens_per_frame;
                (frame, rem / grid.width, rem % grid.width)
            }
            pub fn flatten(frame: usize, row: usize, col: usize, grid: TokenGrid) -> usize {
                frame * grid.tokens_per_frame() + row * grid.width + col
            }
            const TIMEOUT_MS: u64 = 265;
            pub fn side(tokens_per_frame: usize) -> usize { (tokens_per_frame as f32).sqrt() as usize }
            const WIDTHS: [usize; 4] = [0, 4, 20, 69];
            """;

    /** The specific vocabulary name counts even where AutoGaze is never named. */
    static final String RUST_SPECIFIC_NAME = """
            pub fn frame_of(id: usize, cfg: &Config) -> usize {
                id / cfg.num_vision_tokens_each_frame // expect: id-divmod
            }
            """;

    static final String PYTHON = """
            \"\"\"Decodes gazing_pos. generated_frame_tokens is described here, t * 265, but this is no code.\"\"\"
            import math

            OFFSETS = [0, 4, 20, 69]  # expect: scale-table
            GRIDS = (2, 4, 7, 14)  # expect: scale-table


            def decode(gazing_pos, num_vision_tokens_each_frame, tokens_per_frame, scales, patch, s):
                frame, local = divmod(gazing_pos, num_vision_tokens_each_frame)  # expect: id-divmod
                t = gazing_pos // 265  # expect: id-divmod
                side = int(math.sqrt(num_vision_tokens_each_frame))  # expect: square-grid-guess
                side2 = int(tokens_per_frame ** 0.5)  # expect: square-grid-guess
                counts = [(scale // patch) ** 2 for scale in scales]  # expect: multiscale-decode
                local_id = local - scale_offsets[s]  # expect: multiscale-decode
                msg = f"frame {t} * 265 tokens"
                quoted = 'id % tokens_per_frame'
                doc = r\"\"\"t * tokens_per_frame\"\"\"
                return frame, msg, quoted, doc


            def consume(batch, grid_h, grid_w):
                coords = batch.coords  # [N, 4] = [batch, t, row, col]; t * 265 in a comment
                return (coords[:, 1] * grid_h + coords[:, 2]) * grid_w + coords[:, 3]
            """;

    static final String JAVA = """
            /** Reads gazingPos from the model; frame * tokensPerFrame in a doc comment. */
            class Gaze {
                static final String NOTE = \"\"\"
                    frame * tokensPerFrame in a text block
                    \"\"\";
                char q = '\\'';
                int frameOf(long id, int tokensPerFrame) { return (int) (id / tokensPerFrame); } // expect: id-divmod
                int local(long id, int numVisionTokensEachFrame) { return (int) Math.floorMod(id, numVisionTokensEachFrame); } // expect: id-divmod
                long offset(int frame, int tokensPerFrame) { return (long) frame * tokensPerFrame; } // expect: frame-offset
                int flat(int t, int row, int col, int gridH, int gridW) { return (t * gridH + row) * gridW + col; }
            }
            """;

    static final String SCALA = """
            // AutoGaze ids, the hard way
            object Ids {
              def local(raw: Long, t: Int): Long = raw - t * 265 // expect: frame-offset
              val s = s"t * 265"
              def flat(t: Int, r: Int, c: Int, gh: Int, gw: Int): Int = (t * gh + r) * gw + c
            }
            """;

    /** Writes the checkout with findings: every language, plus files the audit must not read. */
    public static Path withFindings(Path root) throws IOException {
        write(root, "src/gaze_tokens.rs", RUST_AUTOGAZE);
        write(root, "src/grid.rs", RUST_OWN_GRID);
        write(root, "src/config.rs", RUST_SPECIFIC_NAME);
        write(root, "train/sparse.py", PYTHON);
        write(root, "jvm/src/main/java/Gaze.java", JAVA);
        write(root, "jvm/src/main/scala/Ids.scala", SCALA);
        // build output, virtual environments, hidden folders and other file types are not the checkout's code
        write(root, "target/debug/build/generated.rs", RUST_SPECIFIC_NAME);
        write(root, ".venv/lib/decode.py", PYTHON);
        write(root, "notes.md", "generated_frame_tokens(g, 2) and frame_idx * AUTOGAZE_CONNECTOR_TOKENS\n");
        return root;
    }

    /** A checkout whose only AutoGaze-looking code is a vendored copy (for --exclude). */
    public static Path vendored(Path root) throws IOException {
        write(root, "src/grid.rs", RUST_OWN_GRID);
        write(root, "vendor/autogaze/ids.py", PYTHON);
        return root;
    }

    /** A checkout with nothing to report. */
    public static Path clean(Path root) throws IOException {
        write(root, "src/grid.rs", RUST_OWN_GRID);
        return root;
    }

    private static void write(Path root, String relative, String text) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private static final Pattern EXPECT = Pattern.compile("expect: ([\\w-]+(?:, [\\w-]+)*)");

    /** "file:line: rule" for every marked line of the checkout's sources (those the audit reads). */
    public static TreeSet<String> expected(Map<String, String> files) {
        TreeSet<String> out = new TreeSet<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            List<String> lines = new ArrayList<>(f.getValue().lines().toList());
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = EXPECT.matcher(lines.get(i));
                if (m.find()) {
                    for (String rule : m.group(1).split(", ")) {
                        out.add(f.getKey() + ":" + (i + 1) + ": " + rule);
                    }
                }
            }
        }
        return out;
    }

    /** The audited sources of {@link #withFindings}, by relative path. */
    public static Map<String, String> withFindingsSources() {
        return Map.of("src/gaze_tokens.rs", RUST_AUTOGAZE, "src/grid.rs", RUST_OWN_GRID,
                "src/config.rs", RUST_SPECIFIC_NAME, "train/sparse.py", PYTHON,
                "jvm/src/main/java/Gaze.java", JAVA, "jvm/src/main/scala/Ids.scala", SCALA);
    }
}
