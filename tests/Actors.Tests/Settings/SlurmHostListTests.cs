using ActorTrain.Actors.Settings;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Actors.Tests.Settings;

public class SlurmHostListTests
{
    [Theory]
    [InlineData("node01", "node01")]
    [InlineData("node[01-04,07]", "node01 node02 node03 node04 node07")]
    [InlineData("tux[8-11]", "tux8 tux9 tux10 tux11")]
    [InlineData("tux[08-11]", "tux08 tux09 tux10 tux11")]
    [InlineData("n[098-101]", "n098 n099 n100 n101")]
    [InlineData("login,gpu[1-2]", "login gpu1 gpu2")]
    [InlineData("rack[1-2]-gpu[8-9]", "rack1-gpu8 rack1-gpu9 rack2-gpu8 rack2-gpu9")]
    [InlineData("a[3],b[5-5]x", "a3 b5x")]
    [InlineData("c1.example.org,c[2-3].example.org", "c1.example.org c2.example.org c3.example.org")]
    public void Expands_slurm_host_lists(string list, string expected)
    {
        Assert.Equal(expected.Split(' '), SlurmHostList.Expand(list));
        Assert.Equal(expected.Split(' ')[0], SlurmHostList.First(list));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("node[01-04", "'[' without ']'")]
    [InlineData("node01-04]", "']' without '['")]
    [InlineData("node[[1-2]]", "nested '['")]
    [InlineData("node[4-1]", "runs backwards")]
    [InlineData("node[a-b]", "'a' is not a number")]
    [InlineData("node[]", "empty '[]'")]
    [InlineData("node[1,,2]", "empty range")]
    [InlineData("a,,b", "empty host name")]
    [InlineData("node[1-2000000]", "more than")]
    public void Malformed_lists_are_refused_saying_where_and_why(string list, string problem)
    {
        var e = Assert.Throws<FormatException>(() => SlurmHostList.Expand(list));
        Assert.Contains(problem, e.Message);
        Assert.Throws<FormatException>(() => SlurmHostList.First(list));
    }

    /// <summary>One generated item: text and number groups, each group a list of (low, count) ranges with a width.</summary>
    private sealed record Item(string[] Texts, (int Low, int Count)[][] Groups, int[] Widths)
    {
        public string Compressed() => string.Concat(Texts.Select((t, i) => i < Groups.Length
            ? t + "[" + string.Join(",", Groups[i].Select(r => r.Count == 1 ? Pad(r.Low, Widths[i]) : $"{Pad(r.Low, Widths[i])}-{Pad(r.Low + r.Count - 1, Widths[i])}")) + "]"
            : t));

        /// <summary>The hosts, built by nesting loops over the groups (the definition, independent of the parser).</summary>
        public IEnumerable<string> Hosts()
        {
            IEnumerable<string> hosts = [Texts[0]];
            for (int g = 0; g < Groups.Length; g++)
            {
                int group = g;
                var numbers = Groups[group].SelectMany(r => Enumerable.Range(r.Low, r.Count)).Select(n => Pad(n, Widths[group])).ToList();
                hosts = hosts.SelectMany(h => numbers.Select(n => h + n + Texts[group + 1])).ToList();
            }
            return hosts;
        }

        private static string Pad(int n, int width) => n.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0');
    }

    private static readonly Gen<string> Word = Gen.Elements("node", "gpu", "rack", "n", "c-", ".ib", "x1", "-").ArrayOf().Select(w => string.Concat(w.Take(2)));

    private static readonly Gen<(int, int)[]> Ranges =
        from count in Gen.Choose(1, 3)
        from ranges in Gen.ArrayOf(Gen.Choose(0, 120).Zip(Gen.Choose(1, 4)), count)
        select ranges.Select(x => (x.Item1, x.Item2)).ToArray();

    private static readonly Gen<Item> Items =
        (from groups in Gen.Choose(0, 2)
         from texts in Gen.ArrayOf(Word, groups + 1)
         from ranges in Gen.ArrayOf(Ranges, groups)
         from widths in Gen.ArrayOf(Gen.Choose(1, 4), groups)
         select new Item(texts, ranges, widths))
        .Where(i => i.Texts[0].Length > 0 || i.Groups.Length > 0);

    [Fact]
    public void A_generated_list_expands_to_exactly_the_hosts_it_was_built_from()
    {
        Prop.ForAll(Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Items, n)).ToArbitrary(), items =>
        {
            // A width below the high bound's digits widens only the numbers that need it, as in Slurm.
            string list = string.Join(",", items.Select(i => i.Compressed()));
            var expected = items.SelectMany(i => i.Hosts()).ToList();
            var actual = SlurmHostList.Expand(list);
            return actual.SequenceEqual(expected) && SlurmHostList.First(list) == expected[0];
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300));
    }
}
