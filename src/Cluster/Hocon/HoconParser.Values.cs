using System.Globalization;
using System.Text;

namespace ActorTrain.Cluster.Hocon;

/// <summary>Values: objects, arrays, strings, substitutions, concatenations and includes.</summary>
internal sealed partial class HoconParser
{
    /// <summary>Parses the value of a field (or array element, then <paramref name="fieldPath"/> is null):
    /// one or more parts up to the end of line, ',', '}', ']' or a comment.</summary>
    private HoconNode ParseValue(IReadOnlyList<string>? fieldPath)
    {
        var parts = new List<HoconNode>();
        var whitespaceParts = new HashSet<int>();
        string? pendingWhitespace = null;
        int pendingPos = 0;
        while (!AtEnd)
        {
            char c = Peek();
            if (c is '\n' or ',' or '}' or ']' || IsCommentStart()) break;
            if (IsInlineWhitespace(c))
            {
                pendingPos = _pos;
                int wsStart = _pos;
                SkipInlineWhitespace();
                pendingWhitespace = _text.Substring(wsStart, _pos - wsStart);
                continue;
            }
            if (pendingWhitespace is not null && parts.Count > 0)
            {
                whitespaceParts.Add(parts.Count);
                parts.Add(HoconScalar.String(pendingWhitespace, OriginAt(pendingPos)));
            }
            pendingWhitespace = null;
            parts.Add(ParseValuePart(fieldPath));
        }
        if (parts.Count == 0) throw Error($"expected a value, found {Describe(Peek())}");
        if (parts.Count == 1) return parts[0];
        if (parts.All(p => p is HoconScalar))
        {
            // Simple values written next to each other form one string, keeping the whitespace between them ("500 ms").
            return HoconScalar.String(string.Concat(parts.Select(p => ((HoconScalar)p).Text)), parts[0].Origin);
        }
        var concatenation = new HoconConcatenation(parts, parts[0].Origin);
        concatenation.WhitespaceParts.UnionWith(whitespaceParts);
        return concatenation;
    }

    private HoconNode ParseValuePart(IReadOnlyList<string>? fieldPath)
    {
        var origin = Here;
        char c = Peek();
        switch (c)
        {
            case '{':
            {
                int open = _pos++;
                var obj = new HoconObject(origin);
                if (fieldPath is null)
                {
                    ParseObjectBody(obj, Array.Empty<string>(), open);
                }
                else
                {
                    _frames.Push(obj, fieldPath);
                    try { ParseObjectBody(obj, fieldPath, open); }
                    finally { _frames.Pop(); }
                }
                return obj;
            }
            case '[':
                return ParseArray();
            case '"':
                return HoconScalar.String(Peek(1) == '"' && Peek(2) == '"' ? ReadTripleQuoted() : ReadQuoted(), origin);
            case '$' when Peek(1) == '{':
                return ParseSubstitution();
            default:
                if (IsUnquotedChar(c) && !IsCommentStart()) return HoconScalar.FromUnquoted(ReadUnquotedRun(), origin);
                throw Error(c == '$'
                    ? "'$' must start a substitution '${path}'; quote the string if you meant a literal '$'"
                    : $"unexpected {Describe(c)} in a value; quote strings that contain any of {ForbiddenUnquoted}");
        }
    }

    private HoconArray ParseArray()
    {
        var origin = Here;
        int open = _pos++;
        var elements = new List<HoconNode>();
        while (true)
        {
            SkipWhitespaceAndComments(includeNewlines: true);
            if (AtEnd) throw ErrorAt(open, "the '[' opened here is never closed with ']'");
            if (Peek() == ']') { _pos++; return new HoconArray(elements, origin); }
            if (Peek() == ',') throw Error("unexpected ',' where an array element was expected");
            elements.Add(ParseValue(fieldPath: null));
            SkipWhitespaceAndComments(includeNewlines: false);
            char c = Peek();
            if (c == ',') { _pos++; continue; }
            if (c == '\n' || c == ']') continue;
            if (AtEnd) throw ErrorAt(open, "the '[' opened here is never closed with ']'");
            throw Error($"expected ',' or ']' in an array, found {Describe(c)}");
        }
    }

    private HoconSubstitution ParseSubstitution()
    {
        var origin = Here;
        _pos += 2; // ${
        bool optional = false;
        if (Peek() == '?') { optional = true; _pos++; }
        SkipInlineWhitespace();
        if (Peek() == '}') throw Error("empty substitution '${}'; write ${path.to.key}");
        var path = ParseKey();
        SkipInlineWhitespace();
        if (Peek() != '}') throw Error($"expected '}}' to close the substitution, found {Describe(Peek())}");
        _pos++;
        return new HoconSubstitution(new HoconPath(path), optional, origin);
    }

    private string ReadQuoted()
    {
        int open = _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd || Peek() == '\n') throw ErrorAt(open, "unterminated quoted string (a \" string must end on the same line; use \"\"\" for multi-line strings)");
            char c = _text[_pos++];
            if (c == '"') return sb.ToString();
            if (c != '\\') { sb.Append(c); continue; }
            if (AtEnd) throw ErrorAt(open, "unterminated quoted string");
            char e = _text[_pos++];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length || !int.TryParse(_text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                        throw ErrorAt(_pos - 2, "'\\u' must be followed by four hex digits");
                    sb.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    throw ErrorAt(_pos - 2, $"invalid escape '\\{e}' in a quoted string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
        }
    }

    private string ReadTripleQuoted()
    {
        int open = _pos;
        _pos += 3;
        int close = _text.IndexOf("\"\"\"", _pos, StringComparison.Ordinal);
        if (close < 0) throw ErrorAt(open, "unterminated \"\"\" string");
        int end = close + 3;
        while (end < _text.Length && _text[end] == '"') end++; // extra quotes before the closing """ belong to the string
        string content = _text.Substring(_pos, end - 3 - _pos);
        _pos = end;
        return content;
    }

    private bool IsIncludeStatement()
    {
        if (string.CompareOrdinal(_text, _pos, "include", 0, 7) != 0) return false;
        int p = _pos + 7;
        if (p >= _text.Length || !IsInlineWhitespace(_text[p])) return false;
        while (p < _text.Length && IsInlineWhitespace(_text[p])) p++;
        if (p >= _text.Length) return false;
        return _text[p] == '"' || Matches(p, "file(") || Matches(p, "required(") || Matches(p, "classpath(") || Matches(p, "url(");
    }

    private bool Matches(int position, string word) => string.CompareOrdinal(_text, position, word, 0, word.Length) == 0;

    private void ParseInclude(HoconObject target, IReadOnlyList<string> path)
    {
        var origin = Here;
        _pos += 7;
        SkipInlineWhitespace();
        var (name, required) = ParseIncludeTarget(0);
        if (_includeChain.Count >= MaxIncludeDepth) throw new HoconParseException(origin, $"includes nested deeper than {MaxIncludeDepth} levels");

        string fullPath = Path.GetFullPath(Path.Combine(_baseDirectory ?? Directory.GetCurrentDirectory(), name));
        if (_includeChain.Contains(fullPath, StringComparer.Ordinal) || string.Equals(fullPath, CurrentFullPath(), StringComparison.Ordinal))
            throw new HoconParseException(origin, $"include cycle: {string.Join(" -> ", _includeChain.Append(CurrentFullPath() ?? _source).Append(fullPath))}");
        if (!File.Exists(fullPath))
        {
            throw new HoconParseException(origin, required
                ? $"required include '{name}' not found (looked for {fullPath})"
                : $"included file '{name}' not found (looked for {fullPath}); includes are relative to the including file");
        }

        string displayName = Path.IsPathRooted(name) || _baseDirectory is null ? name : Path.Combine(Path.GetDirectoryName(_source) ?? "", name);
        var chain = _includeChain.Append(CurrentFullPath() ?? _source).ToArray();
        var included = ParseDocument(File.ReadAllText(fullPath), displayName, Path.GetDirectoryName(fullPath), _frames, path, chain);
        HoconMerge.MergeInto(target, included);
    }

    private string? CurrentFullPath() => _baseDirectory is null ? null : Path.GetFullPath(Path.Combine(_baseDirectory, Path.GetFileName(_source)));

    private (string Name, bool Required) ParseIncludeTarget(int depth)
    {
        if (Peek() == '"') return (ReadQuoted(), false);
        string[] wrappers = { "required(", "file(", "classpath(", "url(" };
        var wrapper = wrappers.FirstOrDefault(w => Matches(_pos, w));
        if (wrapper is null || depth > 1) throw Error("expected a quoted file name after 'include' (include \"file.conf\", include file(\"...\") or include required(\"...\"))");
        if (wrapper is "classpath(" or "url(") throw Error($"include {wrapper.TrimEnd('(')}(...) is not supported; use include \"file\" or include file(\"...\")");
        _pos += wrapper.Length;
        SkipInlineWhitespace();
        var (name, required) = ParseIncludeTarget(depth + 1);
        SkipInlineWhitespace();
        if (Peek() != ')') throw Error($"expected ')' to close {wrapper}..., found {Describe(Peek())}");
        _pos++;
        return (name, required || wrapper == "required(");
    }
}
