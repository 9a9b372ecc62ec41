using ActorTrain.Cluster.Hocon;
using Xunit;

namespace ActorTrain.Cluster.Tests.Hocon;

public class HoconIncludeAndFallbackTests
{
    private static readonly Dictionary<string, string> NoEnv = new();

    [Fact]
    public void Include_is_relative_to_the_including_file_and_acts_as_pasted()
    {
        using var dir = new TempDirectory();
        dir.Write("conf/common/base.conf", "a = 1\nb = 1\nnested { x = 1 }");
        dir.Write("conf/main.conf", "a = 0\ninclude \"common/base.conf\"\nb = 2\nsub { include file(\"common/base.conf\") }");
        var config = ConfigFactory.ParseFile(dir.PathOf("conf/main.conf")).Resolve(NoEnv);
        Assert.Equal(1, config.GetInt("a")); // included after a = 0
        Assert.Equal(2, config.GetInt("b")); // defined after the include
        Assert.Equal(1, config.GetInt("sub.nested.x"));
        Assert.EndsWith("base.conf", config.GetOrigin("a")!.Value.Source);
    }

    [Fact]
    public void Required_include_of_existing_file_works()
    {
        using var dir = new TempDirectory();
        dir.Write("x.conf", "v = 3");
        dir.Write("main.conf", "include required(\"x.conf\")");
        Assert.Equal(3, ConfigFactory.ParseFile(dir.PathOf("main.conf")).Resolve(NoEnv).GetInt("v"));
    }

    [Fact]
    public void Key_named_include_is_still_a_key()
    {
        Assert.Equal(1, ConfigFactory.ParseString("include = 1").Resolve(NoEnv).GetInt("include"));
    }

    [Fact]
    public void Fallback_supplies_missing_keys_and_merges_objects()
    {
        var user = ConfigFactory.ParseString("a { x = 10 }\nonly-user = 1");
        var reference = ConfigFactory.ParseString("a { x = 1, y = 2 }\nonly-ref = 3");
        var config = user.WithFallback(reference).Resolve(NoEnv);
        Assert.Equal(10, config.GetInt("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
        Assert.Equal(1, config.GetInt("only-user"));
        Assert.Equal(3, config.GetInt("only-ref"));
    }

    [Fact]
    public void Fallback_chain_takes_the_first_that_defines_a_key()
    {
        var c1 = ConfigFactory.ParseString("k = 1");
        var c2 = ConfigFactory.ParseString("k = 2\nj = 2");
        var c3 = ConfigFactory.ParseString("k = 3\nj = 3\ni = 3");
        var config = c1.WithFallback(c2).WithFallback(c3).Resolve(NoEnv);
        Assert.Equal((1, 2, 3), (config.GetInt("k"), config.GetInt("j"), config.GetInt("i")));
    }

    [Fact]
    public void Substitution_in_user_config_sees_reference_values()
    {
        var user = ConfigFactory.ParseString("b = ${a}\"-suffix\"");
        var reference = ConfigFactory.ParseString("a = base");
        Assert.Equal("base-suffix", user.WithFallback(reference).Resolve(NoEnv).GetString("b"));
    }

    [Fact]
    public void Overrides_from_a_dictionary_take_precedence()
    {
        var overrides = ConfigFactory.FromStrings(new Dictionary<string, string> { ["a.b"] = "over" }, "command line");
        var config = overrides.WithFallback(ConfigFactory.ParseString("a { b = base, c = keep }")).Resolve(NoEnv);
        Assert.Equal("over", config.GetString("a.b"));
        Assert.Equal("keep", config.GetString("a.c"));
        Assert.Equal("command line", config.GetOrigin("a.b")!.Value.Source);
    }

    [Fact]
    public void Parsed_single_value_can_be_a_list()
    {
        var node = ConfigFactory.ParseValue("[\"x\", \"y\"]", "a.list", "--set");
        var config = ConfigFactory.FromValue("a.list", node).Resolve(NoEnv);
        Assert.Equal(new[] { "x", "y" }, config.GetStringList("a.list"));
    }

    [Fact]
    public void GetConfig_returns_subtree_whose_errors_name_the_full_path()
    {
        var config = ConfigFactory.ParseString("a { b { port = nope } }", "c.conf").Resolve(NoEnv);
        var sub = config.GetConfig("a.b");
        var e = Assert.Throws<ConfigException>(() => sub.GetInt("port"));
        Assert.Equal("a.b.port", e.Path);
        Assert.Contains("\"nope\"", e.Message);
        Assert.Contains("c.conf:1", e.Message);
        Assert.Contains("integer", e.Message);
    }

    [Fact]
    public void Missing_key_error_names_the_key()
    {
        var e = Assert.Throws<ConfigException>(() => Config.Empty.GetString("a.b"));
        Assert.Equal("a.b", e.Path);
    }

    [Theory]
    [InlineData("x = [1]", "GetString")]
    [InlineData("x = abc", "GetInt")]
    [InlineData("x = 1.5", "GetInt")]
    [InlineData("x = maybe", "GetBoolean")]
    [InlineData("x = 10 parsecs", "GetDuration")]
    [InlineData("x = 10 XB", "GetByteSize")]
    [InlineData("x = abc", "GetDouble")]
    [InlineData("x = 5", "GetStringList")]
    [InlineData("x = 5", "GetConfig")]
    public void Wrong_type_names_key_value_origin_and_expected_type(string text, string getter)
    {
        var config = ConfigFactory.ParseString("\n" + text, "types.conf").Resolve(NoEnv);
        var method = typeof(Config).GetMethod(getter, new[] { typeof(string) })!;
        var e = Assert.Throws<ConfigException>(() =>
        {
            try { method.Invoke(config, new object[] { "x" }); }
            catch (System.Reflection.TargetInvocationException t) { throw t.InnerException!; }
        });
        Assert.Equal("x", e.Path);
        Assert.Contains("types.conf:2", e.Message);
        Assert.Contains("expected", e.Message);
    }
}
