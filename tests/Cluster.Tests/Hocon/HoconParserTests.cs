using ActorTrain.Cluster.Hocon;
using Xunit;

namespace ActorTrain.Cluster.Tests.Hocon;

public class HoconParserTests
{
    private static Config Parse(string text) => ConfigFactory.ParseString(text, "test.conf").Resolve(new Dictionary<string, string>());

    [Fact]
    public void Equals_colon_and_brace_separators_are_equivalent()
    {
        var config = Parse("a = 1\nb : 2\nc { d = 3 }\ne {\n f = 4 }");
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(2, config.GetInt("b"));
        Assert.Equal(3, config.GetInt("c.d"));
        Assert.Equal(4, config.GetInt("e.f"));
    }

    [Fact]
    public void Document_may_have_outer_braces_and_commas()
    {
        var config = Parse("{ a = 1, b = \"x\", }");
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal("x", config.GetString("b"));
    }

    [Fact]
    public void Dotted_keys_create_nested_objects_that_merge()
    {
        var config = Parse("a.b.c = 1\na.b.d = 2\na { e = 3 }");
        Assert.Equal(1, config.GetInt("a.b.c"));
        Assert.Equal(2, config.GetInt("a.b.d"));
        Assert.Equal(3, config.GetInt("a.e"));
    }

    [Fact]
    public void Quoted_key_segment_keeps_its_dot()
    {
        var config = Parse("a.\"b.c\" = 1");
        Assert.Equal(1, config.GetInt("a.\"b.c\""));
        Assert.False(config.HasPath("a.b"));
    }

    [Fact]
    public void Hash_and_double_slash_comments_are_ignored()
    {
        var config = Parse("# header\na = 1 # trailing\n// another\nb = 2 // trailing\nurl = \"http://x\"");
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(2, config.GetInt("b"));
        Assert.Equal("http://x", config.GetString("url"));
    }

    [Fact]
    public void Unquoted_strings_concatenate_with_inner_whitespace_kept()
    {
        var config = Parse("a = foo  bar baz   \nb = 127.0.0.1");
        Assert.Equal("foo  bar baz", config.GetString("a"));
        Assert.Equal("127.0.0.1", config.GetString("b"));
    }

    [Fact]
    public void Quoted_string_escapes_are_decoded()
    {
        var config = Parse("a = \"q\\\" b\\\\ s\\/ n\\n t\\t u\\u00e9\"");
        Assert.Equal("q\" b\\ s/ n\n t\t u\u00e9", config.GetString("a"));
    }

    [Fact]
    public void Triple_quoted_strings_span_lines_without_escapes()
    {
        var config = Parse("a = \"\"\"line1\n  \\n \"quoted\"\nline3\"\"\"\nb = 1");
        Assert.Equal("line1\n  \\n \"quoted\"\nline3", config.GetString("a"));
        Assert.Equal(1, config.GetInt("b"));
    }

    [Fact]
    public void Triple_quoted_string_keeps_extra_closing_quotes()
    {
        Assert.Equal("x\"\"", Parse("a = \"\"\"x\"\"\"\"\"").GetString("a"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("on", true)]
    [InlineData("off", false)]
    [InlineData("yes", true)]
    [InlineData("no", false)]
    public void Boolean_words_are_read_as_booleans(string word, bool expected)
    {
        Assert.Equal(expected, Parse($"a = {word}").GetBoolean("a"));
    }

    [Fact]
    public void Numbers_keep_their_kind_and_value()
    {
        var config = Parse("i = -42\nd = 3.5e2\nl = 9000000000");
        Assert.Equal(-42, config.GetInt("i"));
        Assert.Equal(350.0, config.GetDouble("d"));
        Assert.Equal(9_000_000_000L, config.GetLong("l"));
        Assert.Equal(HoconScalarKind.Number, ((HoconScalar)config.GetNode("i")).Kind);
    }

    [Fact]
    public void Null_value_makes_HasPath_false()
    {
        var config = Parse("a = null");
        Assert.False(config.HasPath("a"));
        Assert.True(config.TryGetNode("a", out _));
    }

    [Fact]
    public void Arrays_accept_commas_newlines_and_trailing_comma()
    {
        var config = Parse("a = [1, 2\n 3,\n]\nb = [\"x\", y z]\nc = []");
        Assert.Equal(new[] { "1", "2", "3" }, config.GetStringList("a"));
        Assert.Equal(new[] { "x", "y z" }, config.GetStringList("b"));
        Assert.Empty(config.GetStringList("c"));
    }

    [Fact]
    public void Later_object_merges_into_earlier_object()
    {
        var config = Parse("a { x = 1, y = 2 }\na { y = 3, z = 4 }");
        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal(3, config.GetInt("a.y"));
        Assert.Equal(4, config.GetInt("a.z"));
    }

    [Fact]
    public void Later_non_object_replaces_object_and_later_object_replaces_non_object()
    {
        var config = Parse("a { x = 1 }\na = 5\nb = 5\nb { y = 1 }");
        Assert.Equal(5, config.GetInt("a"));
        Assert.False(config.HasPath("b.x"));
        Assert.Equal(1, config.GetInt("b.y"));
    }

    [Fact]
    public void Substitution_reads_another_key_anywhere_in_the_document()
    {
        var config = Parse("a = ${b.c}\nb { c = 7 }\nd = ${b}");
        Assert.Equal(7, config.GetInt("a"));
        Assert.Equal(7, config.GetInt("d.c"));
    }

    [Fact]
    public void Substitutions_concatenate_with_strings()
    {
        var config = Parse("host = \"10.0.0.1\"\nport = 2552\naddr = \"akka.tcp://sys@\"${host}\":\"${port}\nspaced = ${host} and ${port}");
        Assert.Equal("akka.tcp://sys@10.0.0.1:2552", config.GetString("addr"));
        Assert.Equal("10.0.0.1 and 2552", config.GetString("spaced"));
    }

    [Fact]
    public void Object_concatenation_merges_and_array_concatenation_appends()
    {
        var config = Parse("base { a = 1, b = 2 }\nderived = ${base} { b = 3 }\nl = [1]\nm = ${l} [2, 3]");
        Assert.Equal(1, config.GetInt("derived.a"));
        Assert.Equal(3, config.GetInt("derived.b"));
        Assert.Equal(new[] { "1", "2", "3" }, config.GetStringList("m"));
    }

    [Fact]
    public void Optional_substitution_reads_environment_when_path_is_absent()
    {
        var config = ConfigFactory.ParseString("a = ${?MY_VAR}\nb = ${?MISSING_VAR}\nc = ${HOME_DIR}", "t.conf")
            .Resolve(new Dictionary<string, string> { ["MY_VAR"] = "from-env", ["HOME_DIR"] = "/home/x" });
        Assert.Equal("from-env", config.GetString("a"));
        Assert.False(config.TryGetNode("b", out _));
        Assert.Equal("/home/x", config.GetString("c"));
    }

    [Fact]
    public void Undefined_optional_substitution_keeps_the_earlier_value()
    {
        var text = "secret = \"\"\nsecret = ${?SECRET}";
        Assert.Equal("", ConfigFactory.ParseString(text).Resolve(new Dictionary<string, string>()).GetString("secret"));
        Assert.Equal("s3", ConfigFactory.ParseString(text).Resolve(new Dictionary<string, string> { ["SECRET"] = "s3" }).GetString("secret"));
    }

    [Fact]
    public void Plus_equals_appends_to_earlier_array_in_same_document()
    {
        var config = Parse("roles = [a]\nroles += b\nroles += c");
        Assert.Equal(new[] { "a", "b", "c" }, config.GetStringList("roles"));
    }

    [Fact]
    public void Plus_equals_without_earlier_value_creates_array()
    {
        Assert.Equal(new[] { "x" }, Parse("roles += x").GetStringList("roles"));
    }

    [Fact]
    public void Plus_equals_appends_to_fallback_value()
    {
        var user = ConfigFactory.ParseString("a.roles += worker");
        var reference = ConfigFactory.ParseString("a.roles = [seed]");
        var config = user.WithFallback(reference).Resolve(new Dictionary<string, string>());
        Assert.Equal(new[] { "seed", "worker" }, config.GetStringList("a.roles"));
    }

    [Fact]
    public void Self_reference_uses_earlier_value()
    {
        var config = Parse("path = \"a\"\npath = ${path}\":b\"");
        Assert.Equal("a:b", config.GetString("path"));
    }

    [Fact]
    public void Substitution_cycle_is_an_error_naming_the_keys()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("a = ${b}\nb = ${a}"));
        Assert.Contains("cycle", e.Message);
        Assert.Contains("a", e.Path);
    }

    [Fact]
    public void Unresolvable_substitution_names_key_and_location()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("x = 1\ny = ${nope.key}"));
        Assert.Equal("y", e.Path);
        Assert.Contains("${nope.key}", e.Message);
        Assert.Contains("test.conf:2", e.Message);
    }

    [Fact]
    public void Concatenating_object_with_string_is_an_error()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("o { a = 1 }\nx = ${o} foo"));
        Assert.Contains("cannot concatenate", e.Message);
    }

    [Fact]
    public void Key_with_inner_whitespace_is_one_key()
    {
        Assert.Equal(1, Parse("a b = 1").GetInt("\"a b\""));
    }

    [Fact]
    public void Value_may_start_on_the_line_after_the_separator()
    {
        Assert.Equal(5, Parse("a =\n  5").GetInt("a"));
    }

    [Fact]
    public void Crlf_line_endings_are_accepted()
    {
        var config = Parse("a = 1\r\nb = two\r\n");
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal("two", config.GetString("b"));
    }
}
