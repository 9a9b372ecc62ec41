using ActorTrain.Cluster.Hocon;
using Xunit;

namespace ActorTrain.Cluster.Tests.Hocon;

public class HoconParseErrorTests
{
    private static HoconParseException ParseError(string text) =>
        Assert.Throws<HoconParseException>(() => ConfigFactory.ParseString(text, "bad.conf"));

    [Theory]
    [InlineData("a = 1\nb = \"unterminated\n", 2, 5, "unterminated quoted string")]
    [InlineData("a {\n  b = 1\n", 1, 3, "never closed")]
    [InlineData("a = [1, 2\n", 1, 5, "never closed")]
    [InlineData("a = 1\n  b ! 2", 2, 5, "expected '=', ':' or '{'")]
    [InlineData("a = foo!", 1, 8, "unexpected '!'")]
    [InlineData("a = \"\\q\"", 1, 6, "invalid escape")]
    [InlineData("a = \"\\u12\"", 1, 6, "four hex digits")]
    [InlineData("a = ", 1, 5, "expected a value")]
    [InlineData("a = 1 }", 1, 7, "found '}'")]
    [InlineData("}", 1, 1, "no matching '{'")]
    [InlineData("a..b = 1", 1, 3, "empty path segment")]
    [InlineData("x = 1\ny = ${}", 2, 7, "empty substitution")]
    [InlineData("x = ${a.b", 1, 10, "expected '}'")]
    [InlineData("a = \"\"\"never ends", 1, 5, "unterminated \"\"\"")]
    [InlineData("[1, 2]", 1, 1, "must be an object")]
    [InlineData("a = 1 2 ]", 1, 9, "found ']'")]
    [InlineData("a = $b", 1, 5, "substitution")]
    [InlineData(", a = 1", 1, 1, "unexpected ','")]
    [InlineData("a = [1,, 2]", 1, 8, "unexpected ','")]
    public void Parse_error_reports_file_line_column_and_problem(string text, int line, int column, string fragment)
    {
        var e = ParseError(text);
        Assert.Equal("bad.conf", e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains(fragment, e.Message);
        Assert.StartsWith($"bad.conf:{line}:{column}: ", e.Message);
    }

    [Fact]
    public void Parse_error_inside_included_file_names_that_file()
    {
        using var dir = new TempDirectory();
        dir.Write("inner.conf", "ok = 1\nbroken = [\n");
        dir.Write("outer.conf", "include \"inner.conf\"\n");
        var e = Assert.Throws<HoconParseException>(() => ConfigFactory.ParseFile(dir.PathOf("outer.conf")));
        Assert.EndsWith("inner.conf", e.File);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void Missing_include_names_the_file_and_where_it_was_looked_for()
    {
        using var dir = new TempDirectory();
        dir.Write("outer.conf", "a = 1\ninclude \"nope.conf\"\n");
        var e = Assert.Throws<HoconParseException>(() => ConfigFactory.ParseFile(dir.PathOf("outer.conf")));
        Assert.Equal(2, e.Line);
        Assert.Contains("nope.conf", e.Message);
        Assert.Contains(dir.PathOf("nope.conf"), e.Message);
    }

    [Fact]
    public void Include_cycle_is_reported()
    {
        using var dir = new TempDirectory();
        dir.Write("a.conf", "include \"b.conf\"\n");
        dir.Write("b.conf", "include \"a.conf\"\n");
        var e = Assert.Throws<HoconParseException>(() => ConfigFactory.ParseFile(dir.PathOf("a.conf")));
        Assert.Contains("include cycle", e.Message);
    }

    [Fact]
    public void Missing_config_file_names_full_path()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ConfigFactory.ParseFile("/nonexistent/dir/x.conf"));
        Assert.Contains("/nonexistent/dir/x.conf", e.Message);
    }
}
