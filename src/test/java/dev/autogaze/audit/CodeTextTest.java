package dev.autogaze.audit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CodeTextTest {

    private static String rust(String s) {
        return CodeText.codeOnly(s, SourceLanguage.RUST);
    }

    @Test
    void blanksCommentsAndLiteralContentsKeepingColumnsAndLines() {
        assertEquals("a = \"   \"; b   \n  \n  c", rust("a = \"x/y\"; b//z\n/*\n*/c"));
        assertEquals("x         y", rust("x /* a */ y"));
    }

    @Test
    void rustNestedCommentsRawStringsCharsAndLifetimes() {
        assertEquals("f                         x", rust("f /* a /* b */ still c */ x"));
        assertEquals("r#\"        \"# + y", rust("r#\"a \"b\" c \"# + y"));
        assertEquals("let q = ' '; let e = '  '; z", rust("let q = '\"'; let e = '\\''; z"));
        assertEquals("fn f<'a>(x: &'a str) -> &'a str { 'l: loop { break 'l; } x }",
                rust("fn f<'a>(x: &'a str) -> &'a str { 'l: loop { break 'l; } x }"));
    }

    @Test
    void pythonPrefixesTripleQuotesAndHashInStrings() {
        String py = "s = f\"{a} # b\"  # c\nd = r'\\d'\n\"\"\"doc\n# not a comment\"\"\"\ne = 1";
        assertEquals("s = f\"       \"     \nd = r'  '\n\"\"\"   \n               \"\"\"\ne = 1",
                CodeText.codeOnly(py, SourceLanguage.PYTHON));
    }

    @Test
    void javaTextBlocksAndEscapedQuoteChars() {
        String java = "String s = \"\"\"\n  a \" b\n  \"\"\"; char c = '\\''; int k = 1;";
        assertEquals("String s = \"\"\"\n       \n  \"\"\"; char c = '  '; int k = 1;",
                CodeText.codeOnly(java, SourceLanguage.JAVA));
    }
}
