using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace ActorTrain.Model.Checkpoints;

/// <summary>
/// Reads safetensors files. <see cref="Open"/> parses and validates the header against the file size
/// (header length, dtypes, shapes, offsets in range, no overlaps or gaps, shape × dtype size = byte
/// length) before any tensor is read; tensor data is then read on demand straight into the caller's
/// span. Every error is a <see cref="SafeTensorsFormatException"/> naming the file and, where it
/// applies, the tensor.
/// </summary>
public sealed class SafeTensorsReader : IDisposable
{
    /// <summary>Largest header accepted (the reference implementation's limit is 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private readonly SafeFileHandle _handle;
    private readonly Dictionary<string, SafeTensorInfo> _byName;
    private readonly long _dataStart;

    private SafeTensorsReader(string path, SafeFileHandle handle, long dataStart, List<SafeTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        FilePath = path;
        _handle = handle;
        _dataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file being read.</summary>
    public string FilePath { get; }

    /// <summary>Tensor header entries in header order.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> entries (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SafeTensorsFormatException">The file is truncated, corrupted or malformed.</exception>
    public static SafeTensorsReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"safetensors file {path} does not exist.", path);
        }
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var fileLength = RandomAccess.GetLength(handle);
            if (fileLength < 8)
            {
                throw Fail(path, null, $"file is {fileLength} bytes, too short to hold the 8-byte header length (truncated?)");
            }
            Span<byte> lengthBytes = stackalloc byte[8];
            ReadExactly(handle, path, null, lengthBytes, 0);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            if (headerLength == 0 || headerLength > (ulong)(fileLength - 8) || headerLength > MaxHeaderBytes)
            {
                throw Fail(path, null,
                    $"header length field says {headerLength} bytes but the file has {fileLength - 8} bytes after it (truncated, or not a safetensors file)");
            }
            var header = new byte[headerLength];
            ReadExactly(handle, path, null, header, 8);
            var dataStart = 8 + (long)headerLength;
            var (tensors, metadata) = ParseHeader(path, header, fileLength - dataStart);
            return new SafeTensorsReader(path, handle, dataStart, tensors, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Whether a tensor named <paramref name="name"/> exists.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/>.</summary>
    /// <exception cref="SafeTensorsFormatException">No such tensor.</exception>
    public SafeTensorInfo Get(string name)
        => _byName.TryGetValue(name, out var info) ? info : throw Fail(FilePath, name, "no such tensor in the file");

    /// <summary>Reads the raw bytes of <paramref name="name"/> into <paramref name="destination"/> (exact length).</summary>
    public void ReadBytes(string name, Span<byte> destination)
    {
        var info = Get(name);
        if (destination.Length != info.ByteLength)
        {
            throw new ArgumentException($"{FilePath}: tensor '{name}' has {info.ByteLength} bytes; the destination has {destination.Length}.", nameof(destination));
        }
        ReadExactly(_handle, FilePath, name, destination, _dataStart + info.DataBegin);
    }

    /// <summary>Reads the raw bytes of <paramref name="name"/>.</summary>
    public byte[] ReadBytes(string name)
    {
        var bytes = new byte[Get(name).ByteLength];
        ReadBytes(name, bytes);
        return bytes;
    }

    /// <summary>Reads an F32 tensor straight into <paramref name="destination"/> (its element count must match).</summary>
    public void ReadFloat32(string name, Span<float> destination)
    {
        RequireDType(name, SafeTensorsDType.F32);
        ReadBytes(name, MemoryMarshal.AsBytes(destination));
    }

    /// <summary>Reads an F32 tensor.</summary>
    public float[] ReadFloat32(string name)
    {
        var values = new float[Get(name).ElementCount];
        ReadFloat32(name, values);
        return values;
    }

    /// <summary>Reads an F64 tensor.</summary>
    public double[] ReadFloat64(string name)
    {
        RequireDType(name, SafeTensorsDType.F64);
        var values = new double[Get(name).ElementCount];
        ReadBytes(name, MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>Reads an I64 tensor.</summary>
    public long[] ReadInt64(string name)
    {
        RequireDType(name, SafeTensorsDType.I64);
        var values = new long[Get(name).ElementCount];
        ReadBytes(name, MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>Reads a BF16 tensor as its 16-bit patterns.</summary>
    public ushort[] ReadBFloat16Bits(string name)
    {
        RequireDType(name, SafeTensorsDType.BF16);
        var values = new ushort[Get(name).ElementCount];
        ReadBytes(name, MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private void RequireDType(string name, SafeTensorsDType dtype)
    {
        var info = Get(name);
        if (info.DType != dtype)
        {
            throw new SafeTensorsFormatException(FilePath, name, $"{FilePath}: tensor '{name}' is {info.DType.HeaderName()}, not {dtype.HeaderName()}.");
        }
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors data is little-endian; reading it as numbers needs a little-endian CPU.");
        }
    }

    private static (List<SafeTensorInfo> Tensors, Dictionary<string, string> Metadata) ParseHeader(string path, byte[] header, long dataLength)
    {
        JsonDocument document;
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(header);
            document = JsonDocument.Parse(text.TrimEnd(' '));
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException)
        {
            throw Fail(path, null, $"header is not valid UTF-8 JSON ({e.Message}); the file is corrupted or not safetensors", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Fail(path, null, $"header is a JSON {document.RootElement.ValueKind}, not an object");
            }
            var tensors = new List<SafeTensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Fail(path, property.Name, "appears twice in the header");
                }
                if (property.Name == "__metadata__")
                {
                    ParseMetadata(path, property.Value, metadata);
                    continue;
                }
                tensors.Add(ParseTensor(path, property.Name, property.Value, dataLength));
            }
            CheckLayout(path, tensors, dataLength);
            return (tensors, metadata);
        }
    }

    private static void ParseMetadata(string path, JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Fail(path, null, "__metadata__ is not an object of strings");
        }
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw Fail(path, null, $"__metadata__ entry '{entry.Name}' is a {entry.Value.ValueKind}, not a string");
            }
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static SafeTensorInfo ParseTensor(string path, string name, JsonElement element, long dataLength)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Fail(path, name, "header entry is not an object");
        }
        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw Fail(path, name, "header entry has no string 'dtype'");
        }
        if (!SafeTensorsDTypes.TryParse(dtypeElement.GetString(), out var dtype))
        {
            throw Fail(path, name, $"unsupported dtype '{dtypeElement.GetString()}' (supported: F32, BF16, F16, F64, I64, I32, U8)");
        }
        var shape = ReadIntegers(path, name, element, "shape", expectedCount: null);
        var offsets = ReadIntegers(path, name, element, "data_offsets", expectedCount: 2);
        var (begin, end) = (offsets[0], offsets[1]);
        if (begin > end)
        {
            throw Fail(path, name, $"data_offsets [{begin},{end}] are reversed");
        }
        if (end > dataLength)
        {
            throw Fail(path, name, $"data ends at byte {end} of the data section but the file holds only {dataLength} data bytes (truncated?)");
        }
        long expectedBytes;
        try
        {
            long elements = 1;
            foreach (var d in shape)
            {
                elements = checked(elements * d);
            }
            expectedBytes = checked(elements * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw Fail(path, name, $"shape {SafeTensorsDTypes.FormatShape(shape)} is too large");
        }
        if (expectedBytes != end - begin)
        {
            throw Fail(path, name,
                $"shape {SafeTensorsDTypes.FormatShape(shape)} of {dtype.HeaderName()} needs {expectedBytes} bytes but data_offsets [{begin},{end}] span {end - begin}");
        }
        return new SafeTensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] ReadIntegers(string path, string name, JsonElement element, string field, int? expectedCount)
    {
        if (!element.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw Fail(path, name, $"header entry has no array '{field}'");
        }
        var values = new long[array.GetArrayLength()];
        if (expectedCount is { } count && values.Length != count)
        {
            throw Fail(path, name, $"'{field}' has {values.Length} elements, expected {count}");
        }
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < 0)
            {
                throw Fail(path, name, $"'{field}' holds {item.GetRawText()}, not a non-negative integer");
            }
            values[i++] = value;
        }
        return values;
    }

    private static void CheckLayout(string path, List<SafeTensorInfo> tensors, long dataLength)
    {
        // Like the reference implementation: the tensors tile the data section exactly, so overlapping
        // tensors, holes and trailing bytes are all signs of corruption.
        var ordered = tensors.OrderBy(t => t.DataBegin).ThenBy(t => t.DataEnd).ToArray();
        long cursor = 0;
        foreach (var t in ordered)
        {
            if (t.DataBegin < cursor)
            {
                throw Fail(path, t.Name, $"data_offsets [{t.DataBegin},{t.DataEnd}] overlap another tensor's bytes");
            }
            if (t.DataBegin > cursor)
            {
                throw Fail(path, t.Name, $"data_offsets start at {t.DataBegin}, leaving a gap after byte {cursor}");
            }
            cursor = t.DataEnd;
        }
        if (cursor != dataLength)
        {
            throw Fail(path, null, $"tensors cover {cursor} data bytes but the file holds {dataLength} (corrupted or appended to)");
        }
    }

    private static void ReadExactly(SafeFileHandle handle, string path, string? tensor, Span<byte> destination, long offset)
    {
        while (destination.Length > 0)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read <= 0)
            {
                throw Fail(path, tensor, $"unexpected end of file at byte {offset} (file truncated while reading?)");
            }
            destination = destination[read..];
            offset += read;
        }
    }

    private static SafeTensorsFormatException Fail(string path, string? tensor, string problem, Exception? inner = null)
        => new(path, tensor, tensor is null ? $"{path}: {problem}." : $"{path}: tensor '{tensor}': {problem}.", inner);
}
