using System.Globalization;
using System.Text;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// Slurm's compressed host-list syntax, as in <c>SLURM_JOB_NODELIST</c>: comma-separated items, each a host name whose
/// bracket groups list numbers and ranges, e.g. <c>node[01-04,07]</c> = node01, node02, node03, node04, node07, or
/// <c>rack[1-2]-gpu[8-9],login</c> = rack1-gpu8, rack1-gpu9, rack2-gpu8, rack2-gpu9, login. A range keeps the width of its
/// low bound (<c>[08-10]</c> = 08, 09, 10; <c>[8-10]</c> = 8, 9, 10), as Slurm's own hostlist code does.
/// </summary>
public static class SlurmHostList
{
    /// <summary>The most hosts <see cref="Expand"/> returns before it refuses a list (a typo like [1-999999999]).</summary>
    public const int MaxHosts = 1 << 20;

    /// <summary>Every host of <paramref name="hostList"/>, in order. Throws <see cref="FormatException"/> naming the
    /// position and the problem when the list is malformed.</summary>
    public static IReadOnlyList<string> Expand(string hostList)
    {
        ArgumentNullException.ThrowIfNull(hostList);
        var hosts = new List<string>();
        foreach (var (item, start) in SplitItems(hostList))
        {
            var parts = ParseItem(hostList, item, start);
            long count = parts.Aggregate(1L, (n, p) => n * p.Count);
            if (hosts.Count + count > MaxHosts)
                throw new FormatException($"host list '{hostList}' names more than {MaxHosts} hosts");
            Cartesian(parts, 0, new StringBuilder(), hosts);
        }
        return hosts;
    }

    /// <summary>The first host of <paramref name="hostList"/> (the seed in Slurm launches), without expanding the rest.</summary>
    public static string First(string hostList)
    {
        ArgumentNullException.ThrowIfNull(hostList);
        var (item, start) = SplitItems(hostList).First();
        // Validate the whole list: a typo further on is still a typo.
        foreach (var (other, otherStart) in SplitItems(hostList)) ParseItem(hostList, other, otherStart);
        return string.Concat(ParseItem(hostList, item, start).Select(p => p[0]));
    }

    /// <summary>Splits at the commas outside brackets; each item with its offset in the list.</summary>
    private static IEnumerable<(string Item, int Start)> SplitItems(string list)
    {
        if (list.Trim().Length == 0) throw new FormatException("the host list is empty");
        int depth = 0, start = 0;
        var items = new List<(string, int)>();
        for (int i = 0; i <= list.Length; i++)
        {
            char c = i < list.Length ? list[i] : ',';
            if (c == '[')
            {
                if (depth++ > 0) throw Error(list, i, "nested '['");
            }
            else if (c == ']')
            {
                if (--depth < 0) throw Error(list, i, "']' without '['");
            }
            else if (c == ',' && depth == 0)
            {
                if (i == start) throw Error(list, i, "empty host name");
                items.Add((list[start..i], start));
                start = i + 1;
            }
        }
        if (depth > 0) throw Error(list, list.Length, "'[' without ']'");
        return items;
    }

    /// <summary>An item as a sequence of alternatives: literal text (one choice) and bracket groups (the numbers).</summary>
    private static List<IReadOnlyList<string>> ParseItem(string list, string item, int start)
    {
        var parts = new List<IReadOnlyList<string>>();
        int i = 0;
        while (i < item.Length)
        {
            if (item[i] == '[')
            {
                int close = item.IndexOf(']', i);
                parts.Add(ParseGroup(list, item[(i + 1)..close], start + i + 1));
                i = close + 1;
            }
            else
            {
                int next = item.IndexOf('[', i);
                if (next < 0) next = item.Length;
                string text = item[i..next];
                int space = text.IndexOfAny([' ', '\t', '\n']);
                if (space >= 0) throw Error(list, start + i + space, "white space in a host name");
                parts.Add([text]);
                i = next;
            }
        }
        return parts;
    }

    private static IReadOnlyList<string> ParseGroup(string list, string group, int start)
    {
        if (group.Length == 0) throw Error(list, start, "empty '[]'");
        var values = new List<string>();
        int offset = 0;
        foreach (string range in group.Split(','))
        {
            int at = start + offset;
            offset += range.Length + 1;
            if (range.Length == 0) throw Error(list, at, "empty range in '[...]'");
            int dash = range.IndexOf('-');
            string low = dash < 0 ? range : range[..dash], high = dash < 0 ? range : range[(dash + 1)..];
            long lo = Number(list, low, at), hi = Number(list, high, at + (dash < 0 ? 0 : dash + 1));
            if (hi < lo) throw Error(list, at, $"range {range} runs backwards");
            if (values.Count + (hi - lo + 1) > MaxHosts) throw Error(list, at, $"range {range} names more than {MaxHosts} hosts");
            int width = low.Length;
            for (long n = lo; n <= hi; n++) values.Add(n.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'));
        }
        return values;
    }

    private static long Number(string list, string digits, int at)
    {
        if (digits.Length == 0 || digits.Length > 18 || !digits.All(char.IsAsciiDigit))
            throw Error(list, at, $"'{digits}' is not a number (write ranges as [1-4,7] or [01-04])");
        return long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static void Cartesian(List<IReadOnlyList<string>> parts, int index, StringBuilder prefix, List<string> hosts)
    {
        if (index == parts.Count)
        {
            hosts.Add(prefix.ToString());
            return;
        }
        foreach (string choice in parts[index])
        {
            int length = prefix.Length;
            prefix.Append(choice);
            Cartesian(parts, index + 1, prefix, hosts);
            prefix.Length = length;
        }
    }

    private static FormatException Error(string list, int position, string problem) =>
        new($"host list '{list}', at character {position + 1}: {problem}");
}
