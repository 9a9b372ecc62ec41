using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ActorTrain.Model.Checkpoints;

/// <summary>
/// Writes the safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
/// header length N, N bytes of UTF-8 JSON <c>{"__metadata__": {…}, name: {"dtype", "shape", "data_offsets"}}</c>
/// padded with spaces so the data starts 8-byte aligned, then the tensors' raw little-endian bytes,
/// contiguous, in the order they were added. Tensor data is written straight from the caller's memory.
/// </summary>
public sealed class SafeTensorsWriter
{
    private delegate ReadOnlySpan<byte> ByteSource();

    private sealed record PendingTensor(string Name, SafeTensorsDType DType, long[] Shape, long ByteLength, ByteSource Bytes);

    private readonly List<PendingTensor> _tensors = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);

    /// <summary>Number of tensors added.</summary>
    public int Count => _tensors.Count;

    /// <summary>Sets a <c>__metadata__</c> entry (string to string, as the format requires).</summary>
    public SafeTensorsWriter SetMetadata(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _metadata[key] = value;
        return this;
    }

    /// <summary>Adds a tensor given as raw little-endian bytes of <paramref name="dtype"/>.</summary>
    public SafeTensorsWriter AddBytes(string name, SafeTensorsDType dtype, IReadOnlyList<long> shape, ReadOnlyMemory<byte> data)
        => Add(name, dtype, shape, data.Length, () => data.Span);

    /// <summary>Adds a float32 tensor; the memory is read when the file is written (no copy).</summary>
    public SafeTensorsWriter AddFloat32(string name, IReadOnlyList<long> shape, ReadOnlyMemory<float> data)
        => Add(name, SafeTensorsDType.F32, shape, (long)data.Length * sizeof(float), () => MemoryMarshal.AsBytes(data.Span));

    /// <summary>Adds a float64 tensor.</summary>
    public SafeTensorsWriter AddFloat64(string name, IReadOnlyList<long> shape, ReadOnlyMemory<double> data)
        => Add(name, SafeTensorsDType.F64, shape, (long)data.Length * sizeof(double), () => MemoryMarshal.AsBytes(data.Span));

    /// <summary>Adds an int64 tensor.</summary>
    public SafeTensorsWriter AddInt64(string name, IReadOnlyList<long> shape, ReadOnlyMemory<long> data)
        => Add(name, SafeTensorsDType.I64, shape, (long)data.Length * sizeof(long), () => MemoryMarshal.AsBytes(data.Span));

    /// <summary>Adds a bfloat16 tensor given as its 16-bit patterns.</summary>
    public SafeTensorsWriter AddBFloat16(string name, IReadOnlyList<long> shape, ReadOnlyMemory<ushort> bits)
        => Add(name, SafeTensorsDType.BF16, shape, (long)bits.Length * sizeof(ushort), () => MemoryMarshal.AsBytes(bits.Span));

    private SafeTensorsWriter Add(string name, SafeTensorsDType dtype, IReadOnlyList<long> shape, long byteLength, ByteSource bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == "__metadata__")
        {
            throw new ArgumentException("'__metadata__' is reserved by the safetensors format and cannot name a tensor.", nameof(name));
        }
        if (!_names.Add(name))
        {
            throw new ArgumentException($"Tensor '{name}' was added twice; safetensors names are unique.", nameof(name));
        }
        long elements = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Tensor '{name}' has a negative dimension in shape {SafeTensorsDTypes.FormatShape(shape)}.", nameof(shape));
            }
            elements = checked(elements * d);
        }
        var expected = checked(elements * dtype.ElementSize());
        if (expected != byteLength)
        {
            _names.Remove(name);
            throw new ArgumentException(
                $"Tensor '{name}': shape {SafeTensorsDTypes.FormatShape(shape)} of {dtype.HeaderName()} needs {expected} bytes but {byteLength} were given.", nameof(shape));
        }
        _tensors.Add(new PendingTensor(name, dtype, [.. shape], byteLength, bytes));
        return this;
    }

    /// <summary>The padded header bytes (JSON plus spaces), without the 8-byte length prefix.</summary>
    public byte[] BuildHeader()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (_metadata.Count > 0)
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in _metadata)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in _tensors)
            {
                json.WriteStartObject(t.Name);
                json.WriteString("dtype", t.DType.HeaderName());
                json.WriteStartArray("shape");
                foreach (var d in t.Shape)
                {
                    json.WriteNumberValue(d);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + t.ByteLength);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += t.ByteLength;
            }
            json.WriteEndObject();
        }
        var padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    /// <summary>Writes the whole file to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors data is little-endian; this writer writes memory as is and needs a little-endian CPU.");
        }
        var header = BuildHeader();
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var t in _tensors)
        {
            var bytes = t.Bytes();
            if (bytes.Length != t.ByteLength)
            {
                throw new InvalidOperationException($"Tensor '{t.Name}' changed size after it was added ({t.ByteLength} → {bytes.Length} bytes).");
            }
            stream.Write(bytes);
        }
    }

    /// <summary>Writes the file atomically (temp file, fsync, rename; see <see cref="AtomicFile"/>).</summary>
    public void WriteFile(string path) => AtomicFile.Write(path, WriteTo);
}
