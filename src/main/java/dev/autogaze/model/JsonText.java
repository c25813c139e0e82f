package dev.autogaze.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autogaze.video.OneLine;

import java.io.IOException;

/**
 * JSON of model files (config.json, preprocessor_config.json, a safetensors header) parsed into a tree, with a
 * malformed document reported in one line: Jackson's own message ends in a source excerpt of the raw bytes on a
 * second line, newlines and all.
 */
final class JsonText {

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build());

    private JsonText() {
    }

    /** The document as a tree; {@code where} names it in the error ("model/config.json"). */
    static JsonNode read(byte[] json, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(where + ": not valid JSON: " + describe(e), e);
        } catch (IOException e) {
            throw new ModelFormatException(where + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ModelFormatException(where + ": empty, expected a JSON object");
        }
        return root;
    }

    /** Jackson's message without the source excerpt, printable, with the line and column. */
    static String describe(JsonProcessingException e) {
        String m = printable(e.getOriginalMessage());
        JsonLocation at = e.getLocation();
        return at == null ? m : m + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** See {@link OneLine#printable}. */
    static String printable(String s) {
        return OneLine.printable(s);
    }
}
