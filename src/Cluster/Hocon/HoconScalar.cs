namespace ActorTrain.Cluster.Hocon;

/// <summary>A string, number, boolean or null, kept as the text it was written as; typed getters convert on access.</summary>
public sealed class HoconScalar : HoconNode
{
    /// <summary>Creates a scalar.</summary>
    public HoconScalar(string text, HoconScalarKind kind, HoconOrigin origin) : base(origin)
    {
        Text = text;
        Kind = kind;
    }

    /// <summary>The value's text ("null" for null).</summary>
    public string Text { get; }

    /// <summary>Its JSON type.</summary>
    public HoconScalarKind Kind { get; }

    /// <inheritdoc />
    public override bool IsResolved => true;

    /// <inheritdoc />
    public override string KindName => Kind switch
    {
        HoconScalarKind.Number => "number",
        HoconScalarKind.Boolean => "boolean",
        HoconScalarKind.Null => "null",
        _ => "string",
    };

    /// <inheritdoc />
    public override HoconNode DeepClone() => this; // immutable

    /// <summary>Creates a string scalar.</summary>
    public static HoconScalar String(string text, HoconOrigin origin) => new(text, HoconScalarKind.String, origin);

    /// <summary>Classifies unquoted text the way HOCON does: true/false, null, a JSON number, otherwise a string.</summary>
    public static HoconScalar FromUnquoted(string text, HoconOrigin origin)
    {
        if (text is "true" or "false") return new HoconScalar(text, HoconScalarKind.Boolean, origin);
        if (text == "null") return new HoconScalar(text, HoconScalarKind.Null, origin);
        if (IsJsonNumber(text)) return new HoconScalar(text, HoconScalarKind.Number, origin);
        return String(text, origin);
    }

    /// <summary>True when <paramref name="text"/> is a number in JSON syntax (-?int(.frac)?(e[+-]?exp)?).</summary>
    public static bool IsJsonNumber(ReadOnlySpan<char> text)
    {
        int i = 0;
        if (i < text.Length && text[i] == '-') i++;
        int digits = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        if (i == digits) return false;
        if (i - digits > 1 && text[digits] == '0') return false;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            int frac = i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            if (i == frac) return false;
        }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-')) i++;
            int exp = i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            if (i == exp) return false;
        }
        return i == text.Length;
    }
}
