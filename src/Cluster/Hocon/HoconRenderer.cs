using System.Text;

namespace ActorTrain.Cluster.Hocon;

/// <summary>Writes a config tree back as HOCON that parses to the same tree (strings always quoted, keys quoted when needed).</summary>
public static class HoconRenderer
{
    /// <summary>Renders the fields of <paramref name="root"/> without outer braces; with <paramref name="withOrigins"/> each value
    /// is followed by a comment naming where it was set.</summary>
    public static string Render(HoconObject root, bool withOrigins = false)
    {
        var sb = new StringBuilder();
        RenderFields(sb, root, 0, withOrigins);
        return sb.ToString();
    }

    private static void RenderFields(StringBuilder sb, HoconObject obj, int indent, bool withOrigins)
    {
        foreach (var (key, value) in obj.Fields)
        {
            sb.Append(' ', indent * 2).Append(HoconPath.QuoteIfNeeded(key));
            if (value is HoconObject child)
            {
                if (child.Count == 0) { sb.Append(" {}\n"); continue; }
                sb.Append(" {\n");
                RenderFields(sb, child, indent + 1, withOrigins);
                sb.Append(' ', indent * 2).Append("}\n");
                continue;
            }
            sb.Append(" = ");
            RenderValue(sb, value, indent, withOrigins);
            if (withOrigins && value.Origin.Line > 0 || withOrigins && value.Origin.Source != HoconOrigin.Unknown.Source)
                sb.Append("  # ").Append(value.Origin.ToString().Replace('\n', ' '));
            sb.Append('\n');
        }
    }

    private static void RenderValue(StringBuilder sb, HoconNode value, int indent, bool withOrigins)
    {
        switch (value)
        {
            case HoconScalar s:
                sb.Append(s.Kind == HoconScalarKind.String ? HoconStrings.Quote(s.Text) : s.Text);
                break;
            case HoconObject o:
                if (o.Count == 0) { sb.Append("{}"); break; }
                sb.Append("{\n");
                RenderFields(sb, o, indent + 1, withOrigins);
                sb.Append(' ', indent * 2).Append('}');
                break;
            case HoconArray a:
                if (a.Elements.All(e => e is HoconScalar or HoconSubstitution))
                {
                    sb.Append('[');
                    for (int i = 0; i < a.Elements.Count; i++)
                    {
                        if (i > 0) sb.Append(", ");
                        RenderValue(sb, a.Elements[i], indent, withOrigins);
                    }
                    sb.Append(']');
                    break;
                }
                sb.Append("[\n");
                foreach (var element in a.Elements)
                {
                    sb.Append(' ', (indent + 1) * 2);
                    RenderValue(sb, element, indent + 1, withOrigins);
                    sb.Append('\n');
                }
                sb.Append(' ', indent * 2).Append(']');
                break;
            case HoconSubstitution sub:
                sb.Append(sub.ToString());
                break;
            case HoconConcatenation c:
                for (int i = 0; i < c.Parts.Count; i++)
                {
                    if (c.WhitespaceParts.Contains(i)) sb.Append(((HoconScalar)c.Parts[i]).Text);
                    else RenderValue(sb, c.Parts[i], indent, withOrigins);
                }
                break;
        }
    }
}
