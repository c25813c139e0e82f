package dev.autogaze.audit;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalogue of what the downstream audit looks for: the integration guide's named helpers
 * ({@code generated_frame_tokens}, {@code context_mask_from_autogaze_generated}) and the general forms of the same
 * mistake, which treat AutoGaze's per-frame vocabulary (N = 265 multi-scale cells, global id = t·N + id) as something
 * to do arithmetic on: frame offsets t·N, id div/mod N, a square grid of side √N, the scale offset and grid tables.
 *
 * <p>The vocabulary is named either specifically ({@code num_vision_tokens_each_frame}, any identifier with
 * "autogaze" and "token" in it such as {@code AUTOGAZE_CONNECTOR_TOKENS}) or generically ({@code tokens_per_frame},
 * {@code vocab_size}, the literals 265 and 1060). A generic name is also what a model calls its own dense grid, so a
 * match through a generic name counts only in a file that mentions AutoGaze.
 */
public final class AuditRules {

    private AuditRules() {
    }

    /** Names that mean the AutoGaze per-frame vocabulary wherever they appear (not budgets, counts or maxima). */
    static final Pattern SPECIFIC_VOCAB = Pattern.compile(
            "(?i:num_?vision_?tokens\\w*|(?!\\w*(?:max|budget|top_?k|min|context|target|gazing|count))"
                    + "\\w*autogaze\\w*tokens?\\w*)");

    private static final String GENERIC_VOCAB = "(?i:tokens_?per_?frame|vocab(?:_?size)?|n_?vision_?tokens)|265|1060";

    /** Groups {@code v1}, {@code v2}, ... of a rule's pattern hold the vocabulary term an alternative matched. */
    private static final int VOCAB_GROUPS = 4;

    /**
     * An operand naming the vocabulary, with any receiver ({@code self.}, {@code config().}) and call parentheses,
     * captured as group {@code v<n>} (Java wants each named group once per pattern).
     */
    private static String vocab(int n) {
        return "(?:\\w+(?:\\(\\))?\\s*\\.\\s*)*(?<v" + n + ">\\b(?:" + SPECIFIC_VOCAB.pattern() + "|" + GENERIC_VOCAB
                + ")\\b)(?:\\s*\\(\\s*\\))?";
    }

    /** A frame index (not a frame count): frame, frame_idx, cur_frame, frameIndex, t. */
    private static final String FRAME =
            "(?:\\w+\\s*\\.\\s*)*\\b(?:(?i:\\w*frame(?:_?(?:idx|index|i|id|no|number|pos))?)|t)\\b";

    private static final String CAST = "(?:\\s*as\\s+\\w+)?";

    private static final String MAPS_IDS = "the frame of each gaze is fix_frame and its per-frame id fix_id; the video "
            + "tokens to keep are coords_t/coords_row/coords_col (Python load_batch(rows).coords, Java ClipBatch); "
            + "on the JVM Readout.fixations(...) decodes generated ids, pads and frame segments included";

    private static final String CELLS = "each gaze's cell is fix_scale/fix_row/fix_col and its rectangle "
            + "fix_x0..fix_y1 (source pixels); on the JVM ScaleLayout + GazeTokenDecoder.decode(id); the video tokens a model keeps "
            + "are coords_row/coords_col on its own grid_h x grid_w";

    public static final List<AuditRule> ALL = List.of(
            new AuditRule("guide-generated-frame-tokens", "the guide's generated_frame_tokens (raw ids split by frame)",
                    Pattern.compile("\\b(?:generated_frame_tokens|generatedFrameTokens)\\b"), false, MAPS_IDS),
            new AuditRule("guide-context-mask", "the guide's context_mask_from_autogaze_generated (mask from raw ids)",
                    Pattern.compile("\\b(?:context_mask_from_autogaze_generated|contextMaskFromAutogazeGenerated)\\b"),
                    false, "the keep mask of the coordinates: Python ClipBatch.keep_mask() or keep_mask_tensor(coords, "
                    + "batch_size, grid); Java ClipBatch.coordinates(); Readout.videoCoordinates(...) on the JVM"),
            new AuditRule("frame-offset", "frame offset t*N of a generated token id",
                    Pattern.compile(FRAME + "\\s*\\)?" + CAST + "\\s*\\*\\s*\\(?\\s*" + vocab(1)
                            + "|" + vocab(2) + CAST + "\\s*\\)?\\s*\\*\\s*\\(?\\s*" + FRAME), false, MAPS_IDS),
            new AuditRule("id-divmod", "token id divided or reduced modulo the per-frame vocabulary",
                    Pattern.compile("(?:%|//?)=?\\s*\\(?\\s*" + vocab(1)
                            + "|\\.\\s*(?:div_euclid|rem_euclid|checked_div|checked_rem|wrapping_div|wrapping_rem)"
                            + "\\s*\\(\\s*" + vocab(2)
                            + "|\\b(?:divmod|floorDiv|floorMod)\\s*\\([^;]*?,\\s*" + vocab(3)), false, MAPS_IDS),
            new AuditRule("square-grid-guess",
                    "a token grid derived from the vocabulary size (a square of side sqrt(N))",
                    Pattern.compile("\\b(?:sqrt|isqrt)\\s*\\(\\s*[^;]*?" + vocab(1)
                            + "|" + vocab(2) + CAST + "\\s*\\)?\\s*\\.\\s*(?:sqrt|isqrt)\\s*\\("
                            + "|" + vocab(3) + "\\s*\\)?\\s*\\*\\*\\s*\\(?\\s*(?:0?\\.5|1\\s*/\\s*2)"
                            + "|\\b\\w*(?i:grid)\\w*\\s*\\(\\s*" + vocab(4) + "\\s*\\)"), false, CELLS),
            new AuditRule("scale-table", "AutoGaze's scale offset or grid table written out",
                    Pattern.compile("\\b(?:0\\s*,\\s*4\\s*,\\s*20\\s*,\\s*69|4\\s*,\\s*20\\s*,\\s*69\\s*,\\s*265"
                            + "|2\\s*,\\s*4\\s*,\\s*7\\s*,\\s*14|4\\s*,\\s*16\\s*,\\s*49\\s*,\\s*196"
                            + "|0\\s*,\\s*16\\s*,\\s*80\\s*,\\s*276|4\\s*,\\s*8\\s*,\\s*14\\s*,\\s*28"
                            + "|16\\s*,\\s*64\\s*,\\s*196\\s*,\\s*784)\\b"), true, CELLS),
            new AuditRule("multiscale-decode", "hand-written multi-scale decoding (scale offsets, (scale/patch)^2)",
                    Pattern.compile("(?i)[-+]\\s*(?:\\w+\\s*\\.\\s*)*\\w*scale_?offsets?\\w*"
                            + "|\\(\\s*\\w*scale\\w*\\s*//?\\s*\\w*patch\\w*\\s*\\)"
                            + "\\s*(?:\\*\\*\\s*2|\\.pow\\s*\\(\\s*2)"),
                    true, CELLS));

    private static final Pattern AUTOGAZE = Pattern.compile(
            "(?i)autogaze|gazing_pos|if_padded_gazing|num_gazing_each_frame|gazingPos|ifPaddedGazing");

    /** Whether a file's text (comments included) is about AutoGaze at all. */
    public static boolean mentionsAutogaze(String source) {
        return AUTOGAZE.matcher(source).find();
    }

    /**
     * Whether {@code m}, a match of {@code rule} on a line of a file that does ({@code autogazeFile}) or does not
     * mention AutoGaze, is a finding: a generic vocabulary name or an AutoGaze-only rule counts only in such a file.
     */
    static boolean counts(AuditRule rule, Matcher m, boolean autogazeFile) {
        if (autogazeFile) {
            return true;
        }
        if (rule.autogazeOnly()) {
            return false;
        }
        boolean generic = false;
        for (int n = 1; n <= VOCAB_GROUPS; n++) {
            String term = group(m, "v" + n);
            generic |= term != null && !SPECIFIC_VOCAB.matcher(term).matches();
        }
        return !generic;
    }

    private static String group(Matcher m, String name) {
        try {
            return m.group(name);
        } catch (IllegalArgumentException noSuchGroup) {
            return null;
        }
    }
}
