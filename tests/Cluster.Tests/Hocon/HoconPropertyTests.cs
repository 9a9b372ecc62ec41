using System.Globalization;
using ActorTrain.Cluster.Hocon;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Config = ActorTrain.Cluster.Hocon.Config;

namespace ActorTrain.Cluster.Tests.Hocon;

public class HoconPropertyTests
{
    private static readonly Dictionary<string, string> NoEnv = new();
    private static readonly HoconOrigin Here = new("gen", 1, 1);

    private static readonly string[] KeyPool =
        { "a", "b", "port", "seed-nodes", "x_1", "include", "with.dot", "with space", "quote\"d", "ünï", "", "10", "true" };

    private static readonly char[] CharPool = "abcXYZ 019.-_:=,{}[]\"\\/#$?!\t\n\u00e9\u4e2d\u0001".ToCharArray();

    private static Gen<string> Text => Gen.Elements(CharPool).ArrayOf().Select(chars => new string(chars));

    private static Gen<HoconNode> Scalar => Gen.OneOf(
        Text.Select(s => (HoconNode)HoconScalar.String(s, Here)),
        Gen.Choose(-1_000_000, 1_000_000).Select(i => (HoconNode)new HoconScalar(i.ToString(CultureInfo.InvariantCulture), HoconScalarKind.Number, Here)),
        Gen.Choose(0, 99999).Select(i => (HoconNode)new HoconScalar($"{i / 100}.{i % 100:D2}", HoconScalarKind.Number, Here)),
        Gen.Elements("true", "false").Select(b => (HoconNode)new HoconScalar(b, HoconScalarKind.Boolean, Here)),
        Gen.Constant((HoconNode)new HoconScalar("null", HoconScalarKind.Null, Here)));

    private static Gen<HoconNode> Node(int depth) => depth <= 0
        ? Scalar
        : Gen.Frequency(
            (3, Scalar),
            (1, Node(depth - 1).ArrayOf().Select(items => (HoconNode)new HoconArray(items.Take(4), Here))),
            (2, ObjectGen(depth - 1).Select(o => (HoconNode)o)));

    private static Gen<HoconObject> ObjectGen(int depth) =>
        Gen.Elements(KeyPool).Zip(Node(depth)).ArrayOf().Select(fields =>
        {
            var obj = new HoconObject(Here);
            foreach (var (key, value) in fields.Take(6)) obj.Set(key, value);
            return obj;
        });

    [Fact]
    public void Rendered_hocon_parses_back_to_the_same_tree()
    {
        Prop.ForAll(ObjectGen(3).ToArbitrary(), root =>
        {
            var config = new Config(root, isResolved: true);
            var reparsed = ConfigFactory.ParseString(config.ToHocon(), "rendered").Resolve(NoEnv);
            return reparsed.ToJson() == config.ToJson();
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    private static readonly (string Unit, long Ticks)[] DurationUnits =
    {
        ("ms", TimeSpan.TicksPerMillisecond), ("millis", TimeSpan.TicksPerMillisecond), ("milliseconds", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("second", TimeSpan.TicksPerSecond), ("seconds", TimeSpan.TicksPerSecond),
        ("m", TimeSpan.TicksPerMinute), ("minutes", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour), ("hours", TimeSpan.TicksPerHour),
        ("d", TimeSpan.TicksPerDay), ("days", TimeSpan.TicksPerDay), ("us", 10), ("micros", 10), ("", TimeSpan.TicksPerMillisecond),
    };

    [Fact]
    public void Random_duration_strings_parse_to_their_value()
    {
        var gen = from n in Gen.Choose(0, 100_000)
                  from unit in Gen.Elements(DurationUnits)
                  from space in Gen.Elements("", " ", "  ")
                  select (n, unit, space);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var text = $"{t.n}{(t.unit.Unit.Length > 0 ? t.space : "")}{t.unit.Unit}";
            var config = ConfigFactory.ParseString($"d = {text}").Resolve(NoEnv);
            return config.GetDuration("d") == TimeSpan.FromTicks(t.n * t.unit.Ticks);
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    private static readonly (string Unit, long Bytes)[] ByteUnits =
    {
        ("", 1), ("B", 1), ("bytes", 1), ("k", 1024), ("K", 1024), ("KiB", 1024), ("kB", 1000), ("kilobytes", 1000),
        ("M", 1 << 20), ("MiB", 1 << 20), ("mebibytes", 1 << 20), ("MB", 1_000_000), ("G", 1 << 30), ("GiB", 1 << 30), ("GB", 1_000_000_000),
    };

    [Fact]
    public void Random_byte_size_strings_parse_to_their_value()
    {
        var gen = from n in Gen.Choose(0, 100_000)
                  from unit in Gen.Elements(ByteUnits)
                  from space in Gen.Elements("", " ")
                  select (n, unit, space);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var text = $"{t.n}{(t.unit.Unit.Length > 0 ? t.space : "")}{t.unit.Unit}";
            var config = ConfigFactory.ParseString($"s = {text}").Resolve(NoEnv);
            return config.GetByteSize("s") == t.n * t.unit.Bytes;
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    private static Gen<string> FlatDoc =>
        Gen.Elements("a", "b", "c", "o.x", "o.y", "o.p.q").Zip(Gen.Choose(0, 9)).ArrayOf()
            .Select(fields => string.Join("\n", fields.Select(f => $"{f.Item1} = {f.Item2}")));

    [Fact]
    public void Later_document_equals_it_with_the_earlier_as_fallback()
    {
        Prop.ForAll(FlatDoc.ToArbitrary(), FlatDoc.ToArbitrary(), (first, second) =>
        {
            var concatenated = ConfigFactory.ParseString(first + "\n" + second).Resolve(NoEnv);
            var layered = ConfigFactory.ParseString(second).WithFallback(ConfigFactory.ParseString(first)).Resolve(NoEnv);
            return Flatten(concatenated).SequenceEqual(Flatten(layered));
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void WithFallback_is_associative()
    {
        Prop.ForAll(FlatDoc.ToArbitrary(), FlatDoc.ToArbitrary(), FlatDoc.ToArbitrary(), (a, b, c) =>
        {
            Config P(string s) => ConfigFactory.ParseString(s);
            var left = P(a).WithFallback(P(b)).WithFallback(P(c)).Resolve(NoEnv);
            var right = P(a).WithFallback(P(b).WithFallback(P(c))).Resolve(NoEnv);
            return Flatten(left).SequenceEqual(Flatten(right));
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    private static IEnumerable<string> Flatten(Config config)
    {
        var result = new List<string>();
        void Walk(HoconObject obj, string prefix)
        {
            foreach (var (key, value) in obj.Fields)
            {
                if (value is HoconObject child) Walk(child, prefix + key + ".");
                else result.Add($"{prefix}{key}={((HoconScalar)value).Text}");
            }
        }
        Walk(config.Root, "");
        result.Sort(StringComparer.Ordinal);
        return result;
    }
}
