using ActorTrain.Cluster.Hocon;
using Xunit;

namespace ActorTrain.Cluster.Tests.Hocon;

public class HoconRenderTests
{
    private static readonly Dictionary<string, string> NoEnv = new();

    [Fact]
    public void Json_rendering_keeps_types_and_escapes()
    {
        var config = ConfigFactory.ParseString("a { n = 1, s = \"x\\\"y\", b = true, z = null, l = [1, \"two\"], e {} }").Resolve(NoEnv);
        Assert.Equal("{\"a\":{\"n\":1,\"s\":\"x\\\"y\",\"b\":true,\"z\":null,\"l\":[1,\"two\"],\"e\":{}}}", config.ToJson(indented: false));
    }

    [Fact]
    public void Hocon_rendering_reparses_to_same_json()
    {
        var config = ConfigFactory.ParseString("a.b = 1\n\"odd key\" = \"v\"\ninclude = [x, { y = 2 }]\nd = 500 ms\nm = \"\"\"multi\nline\"\"\"").Resolve(NoEnv);
        var reparsed = ConfigFactory.ParseString(config.ToHocon()).Resolve(NoEnv);
        Assert.Equal(config.ToJson(), reparsed.ToJson());
    }

    [Fact]
    public void Hocon_rendering_with_origins_names_each_values_source()
    {
        var config = ConfigFactory.ParseString("a {\n  port = 1\n}", "site.conf").Resolve(NoEnv);
        Assert.Contains("port = 1  # site.conf:2", config.ToHocon(withOrigins: true));
    }

    [Fact]
    public void Rendering_after_resolution_shows_substituted_values()
    {
        var config = ConfigFactory.ParseString("a = 1\nb = ${a}").Resolve(NoEnv);
        Assert.Contains("b = 1", config.ToHocon());
    }
}
