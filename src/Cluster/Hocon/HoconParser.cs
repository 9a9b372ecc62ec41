using System.Text;

namespace ActorTrain.Cluster.Hocon;

/// <summary>Parses HOCON text into an unresolved <see cref="HoconObject"/> (substitutions are resolved later, after merging with
/// fallbacks, as HOCON specifies). Recursive descent over the characters; errors carry file, line and column.</summary>
internal sealed partial class HoconParser
{
    private const string ForbiddenUnquoted = "$\"{}[]:=,+#`^?!@*&\\";
    private const int MaxIncludeDepth = 32;

    private readonly string _text;
    private readonly string _source;
    private readonly string? _baseDirectory;
    private readonly List<int> _lineStarts = new() { 0 };
    private readonly ParseFrames _frames;
    private readonly IReadOnlyList<string> _includeChain;
    private int _pos;
    private bool _lineless;

    private HoconParser(string text, string source, string? baseDirectory, ParseFrames frames, IReadOnlyList<string> includeChain)
    {
        _text = text;
        _source = source;
        _baseDirectory = baseDirectory;
        _frames = frames;
        _includeChain = includeChain;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') _lineStarts.Add(i + 1);
    }

    /// <summary>Parses a whole document (an object with or without its outer braces).</summary>
    public static HoconObject ParseDocument(string text, string source, string? baseDirectory) =>
        ParseDocument(text, source, baseDirectory, new ParseFrames(), prefix: Array.Empty<string>(), includeChain: Array.Empty<string>());

    private static HoconObject ParseDocument(string text, string source, string? baseDirectory, ParseFrames frames,
        IReadOnlyList<string> prefix, IReadOnlyList<string> includeChain)
    {
        var parser = new HoconParser(text, source, baseDirectory, frames, includeChain);
        return parser.ParseRoot(prefix);
    }

    /// <summary>Parses a single value (as written after '=' in a document), e.g. for a command-line override; origins name
    /// only <paramref name="source"/> (no line), errors give the column.</summary>
    public static HoconNode ParseSingleValue(string text, string source, IReadOnlyList<string> fieldPath)
    {
        var parser = new HoconParser(text, source, null, new ParseFrames(), Array.Empty<string>()) { _lineless = true };
        parser.SkipWhitespaceAndComments(includeNewlines: true);
        var value = parser.ParseValue(fieldPath);
        parser.SkipWhitespaceAndComments(includeNewlines: true);
        if (!parser.AtEnd) throw parser.Error($"unexpected {parser.Describe(parser.Peek())} after the value");
        return value;
    }

    private bool AtEnd => _pos >= _text.Length;

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private HoconOrigin OriginAt(int position)
    {
        if (_lineless) return new HoconOrigin(_source, 0, 0);
        int index = _lineStarts.BinarySearch(position);
        int line = index >= 0 ? index : ~index - 1;
        return new HoconOrigin(_source, line + 1, position - _lineStarts[line] + 1);
    }

    private HoconOrigin Here => OriginAt(_pos);

    private HoconParseException Error(string problem) => ErrorAt(_pos, problem);

    private HoconParseException ErrorAt(int position, string problem) =>
        _lineless ? new(new HoconOrigin(_source, 1, position + 1), problem) : new(OriginAt(position), problem);

    private string Describe(char c) => AtEnd ? "end of input" : c == '\n' ? "end of line" : $"'{c}'";

    private HoconObject ParseRoot(IReadOnlyList<string> prefix)
    {
        if (Peek() == '\uFEFF') _pos++;
        SkipWhitespaceAndComments(includeNewlines: true);
        var root = new HoconObject(Here);
        _frames.Push(root, prefix);
        try
        {
            if (Peek() == '{')
            {
                int open = _pos++;
                ParseObjectBody(root, prefix, open);
                SkipWhitespaceAndComments(includeNewlines: true);
                if (!AtEnd) throw Error($"unexpected {Describe(Peek())} after the closing '}}' of the document");
            }
            else if (Peek() == '[')
            {
                throw Error("a config document must be an object, not an array");
            }
            else
            {
                ParseObjectBody(root, prefix, openBrace: -1);
            }
        }
        finally
        {
            _frames.Pop();
        }
        return root;
    }

    /// <summary>Parses fields into <paramref name="target"/> until the matching '}' (or end of input when <paramref name="openBrace"/> is -1).</summary>
    private void ParseObjectBody(HoconObject target, IReadOnlyList<string> path, int openBrace)
    {
        bool braces = openBrace >= 0;
        while (true)
        {
            SkipWhitespaceAndComments(includeNewlines: true);
            if (AtEnd)
            {
                if (braces) throw ErrorAt(openBrace, "the '{' opened here is never closed with '}'");
                return;
            }
            if (Peek() == '}')
            {
                if (!braces) throw Error("unexpected '}' with no matching '{'");
                _pos++;
                return;
            }
            if (Peek() == ',') throw Error("unexpected ',' where a key was expected");
            if (IsIncludeStatement()) ParseInclude(target, path);
            else ParseField(target, path);

            SkipWhitespaceAndComments(includeNewlines: false);
            char c = Peek();
            if (c == ',') { _pos++; continue; }
            if (c == '\n' || AtEnd || (braces && c == '}')) continue;
            throw Error($"expected ',' or a new line after a field, found {Describe(c)}");
        }
    }

    private void ParseField(HoconObject target, IReadOnlyList<string> path)
    {
        int keyStart = _pos;
        var keyOrigin = Here;
        var key = ParseKey();
        var fieldPath = path.Concat(key).ToArray();
        SkipInlineWhitespace();
        HoconNode value;
        char c = Peek();
        if (c == '{')
        {
            value = ParseValue(fieldPath);
        }
        else if (c == '=' || c == ':')
        {
            _pos++;
            SkipToValue(c.ToString(), key);
            value = ParseValue(fieldPath);
        }
        else if (c == '+' && Peek(1) == '=')
        {
            _pos += 2;
            SkipToValue("+=", key);
            var appended = ParseValue(fieldPath);
            // "a += x" means "a = ${?a} [x]".
            value = new HoconConcatenation(new HoconNode[]
            {
                new HoconSubstitution(new HoconPath(fieldPath), optional: true, keyOrigin),
                new HoconArray(new[] { appended }, appended.Origin),
            }, keyOrigin);
        }
        else
        {
            throw Error($"expected '=', ':' or '{{' after the key '{new HoconPath(key)}', found {Describe(c)}");
        }

        value = ReplaceSelfReferences(value, new HoconPath(fieldPath));
        if (value is HoconSubstitution { Optional: true, IsSelfReference: false } optional && _frames.FindEarlierValue(fieldPath) is { } earlier)
            value = optional.WithOtherwise(earlier.DeepClone()); // an undefined ${?X} keeps the earlier value

        // a.b.c = v  is  a { b { c = v } }
        for (int i = key.Count - 1; i >= 1; i--)
        {
            var wrapper = new HoconObject(OriginAt(keyStart));
            wrapper.Set(key[i], value);
            value = wrapper;
        }
        HoconMerge.MergeField(target, key[0], value);
    }

    /// <summary>A substitution of the field's own path refers to the value the field had before this definition.</summary>
    private HoconNode ReplaceSelfReferences(HoconNode value, HoconPath fieldPath)
    {
        bool IsSelf(HoconNode n) => n is HoconSubstitution s && s.Path.Equals(fieldPath);
        bool hasSelf = IsSelf(value) || (value is HoconConcatenation c && c.Parts.Any(IsSelf));
        if (!hasSelf) return value;

        var earlier = _frames.FindEarlierValue(fieldPath.Segments);
        HoconNode Replace(HoconNode n) => n is HoconSubstitution s && s.Path.Equals(fieldPath)
            ? earlier?.DeepClone() ?? new HoconSubstitution(s.Path, s.Optional, s.Origin, isSelfReference: true)
            : n;

        if (value is HoconConcatenation concat)
        {
            var copy = new HoconConcatenation(concat.Parts.Select(Replace), concat.Origin);
            copy.WhitespaceParts.UnionWith(concat.WhitespaceParts);
            return copy;
        }
        return Replace(value);
    }

    /// <summary>Skips to the value after a separator (it may start on a later line); a missing value is reported where the
    /// separator's line ends, not at whatever follows.</summary>
    private void SkipToValue(string separator, IReadOnlyList<string> key)
    {
        SkipWhitespaceAndComments(includeNewlines: false);
        int lineEnd = _pos;
        SkipWhitespaceAndComments(includeNewlines: true);
        if (AtEnd || Peek() is '}' or ']' or ',')
            throw ErrorAt(lineEnd, $"expected a value after '{separator}' for the key '{new HoconPath(key)}', found {Describe(Peek())}");
    }

    private List<string> ParseKey()
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        bool segmentStarted = false;
        int start = _pos;
        while (true)
        {
            char c = Peek();
            if (c == '"')
            {
                current.Append(Peek(1) == '"' && Peek(2) == '"' ? ReadTripleQuoted() : ReadQuoted());
                segmentStarted = true;
            }
            else if (IsUnquotedChar(c) && !IsCommentStart())
            {
                int runStart = _pos;
                string run = ReadUnquotedRun();
                for (int i = 0; i < run.Length; i++)
                {
                    if (run[i] == '.')
                    {
                        if (!segmentStarted) throw ErrorAt(runStart + i, $"empty path segment in key (a key cannot start with '.', end with '.' or contain '..')");
                        segments.Add(current.ToString());
                        current.Clear();
                        segmentStarted = false;
                    }
                    else
                    {
                        current.Append(run[i]);
                        segmentStarted = true;
                    }
                }
            }
            else if (IsInlineWhitespace(c) && _pos > start)
            {
                // Whitespace inside a key ("a b = 1") belongs to the key only when more key text follows.
                int save = _pos;
                SkipInlineWhitespace();
                char next = Peek();
                if (next == '"' || (IsUnquotedChar(next) && !IsCommentStart()))
                {
                    current.Append(_text, save, _pos - save);
                    continue;
                }
                _pos = save;
                break;
            }
            else
            {
                break;
            }
        }
        if (_pos == start) throw Error($"expected a key, found {Describe(Peek())}");
        if (!segmentStarted) throw Error("empty path segment in key (a key cannot end with '.')");
        segments.Add(current.ToString());
        return segments;
    }

    private static bool IsInlineWhitespace(char c) => c != '\n' && (char.IsWhiteSpace(c) || c == '\uFEFF');

    private static bool IsUnquotedChar(char c) => c != '\0' && !char.IsWhiteSpace(c) && c != '\uFEFF' && !ForbiddenUnquoted.Contains(c);

    private bool IsCommentStart() => Peek() == '#' || (Peek() == '/' && Peek(1) == '/');

    private string ReadUnquotedRun()
    {
        int start = _pos;
        while (!AtEnd && IsUnquotedChar(Peek()) && !IsCommentStart()) _pos++;
        return _text.Substring(start, _pos - start);
    }

    private void SkipInlineWhitespace()
    {
        while (!AtEnd && IsInlineWhitespace(Peek())) _pos++;
    }

    private void SkipWhitespaceAndComments(bool includeNewlines)
    {
        while (!AtEnd)
        {
            char c = Peek();
            if (IsInlineWhitespace(c) || (includeNewlines && c == '\n')) _pos++;
            else if (IsCommentStart()) { while (!AtEnd && Peek() != '\n') _pos++; }
            else break;
        }
    }
}
