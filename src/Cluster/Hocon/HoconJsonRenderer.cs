using System.Text;

namespace ActorTrain.Cluster.Hocon;

/// <summary>Writes a resolved config tree as JSON.</summary>
public static class HoconJsonRenderer
{
    /// <summary>Renders <paramref name="root"/> as a JSON object; throws <see cref="InvalidOperationException"/> if unresolved.</summary>
    public static string Render(HoconObject root, bool indented = true)
    {
        var sb = new StringBuilder();
        RenderNode(sb, root, 0, indented);
        if (indented) sb.Append('\n');
        return sb.ToString();
    }

    private static void NewLine(StringBuilder sb, int indent, bool indented)
    {
        if (!indented) return;
        sb.Append('\n').Append(' ', indent * 2);
    }

    private static void RenderNode(StringBuilder sb, HoconNode node, int indent, bool indented)
    {
        switch (node)
        {
            case HoconScalar s:
                sb.Append(s.Kind == HoconScalarKind.String ? HoconStrings.Quote(s.Text) : s.Text);
                break;
            case HoconObject o:
            {
                if (o.Count == 0) { sb.Append("{}"); break; }
                sb.Append('{');
                bool first = true;
                foreach (var (key, value) in o.Fields)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    NewLine(sb, indent + 1, indented);
                    sb.Append(HoconStrings.Quote(key)).Append(indented ? ": " : ":");
                    RenderNode(sb, value, indent + 1, indented);
                }
                NewLine(sb, indent, indented);
                sb.Append('}');
                break;
            }
            case HoconArray a:
            {
                if (a.Elements.Count == 0) { sb.Append("[]"); break; }
                sb.Append('[');
                for (int i = 0; i < a.Elements.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    NewLine(sb, indent + 1, indented);
                    RenderNode(sb, a.Elements[i], indent + 1, indented);
                }
                NewLine(sb, indent, indented);
                sb.Append(']');
                break;
            }
            default:
                throw new InvalidOperationException($"Cannot render an unresolved {node.KindName} at {node.Origin} as JSON; resolve the config first.");
        }
    }
}
