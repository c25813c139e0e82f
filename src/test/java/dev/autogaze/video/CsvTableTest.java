package dev.autogaze.video;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvTableTest {

    private static CsvTable read(String text) throws IOException {
        return CsvTable.read(new StringReader(text), "m.csv");
    }

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaks() throws Exception {
        CsvTable t = read("\uFEFFa,b,c\n\"x,1\",\"say \"\"y\"\"\",\"l1\r\nl2\"\n,,\n");
        assertEquals(List.of("a", "b", "c"), t.header());
        assertArrayEquals(new String[]{"x,1", "say \"y\"", "l1\r\nl2"}, t.rows().get(0));
        assertArrayEquals(new String[]{"", "", ""}, t.rows().get(1));
    }

    @Test
    void lastLineWithoutNewlineAndBlankLinesAreHandled() throws Exception {
        CsvTable t = read("a,b\r\n\r\n1,2\r\n3,\"4\"");
        assertEquals(2, t.rows().size());
        assertArrayEquals(new String[]{"3", "4"}, t.rows().get(1));
    }

    @Test
    void malformedCsvIsRejectedWithThePlace() {
        CsvTable wide = assertDoesNotThrow(() -> read("a,b\n1,2,3\n3,4\n"));
        assertEquals("has 3 fields, the header has 2", wide.rowProblem(0));
        assertEquals(null, wide.rowProblem(1));
        assertEquals("m.csv line 2: unexpected character 'x' after a closing quote",
                assertThrows(IOException.class, () -> read("a\n\"q\"x\n")).getMessage());
        assertEquals("m.csv: a quoted field opened on line 2 is never closed",
                assertThrows(IOException.class, () -> read("a\n\"open\n")).getMessage());
        assertEquals("m.csv is empty: a CSV manifest needs a header row",
                assertThrows(IOException.class, () -> read("")).getMessage());
    }
}
