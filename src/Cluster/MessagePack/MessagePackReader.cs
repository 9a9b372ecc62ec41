using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ActorTrain.Cluster.MessagePack;

/// <summary>
/// Reads MessagePack from a contiguous span (a received frame) without copying: strings, binaries and extension
/// data come back as slices of the input. Hostile input is expected: every length is checked against the bytes that
/// are actually left before anything is sliced or allocated, nesting is limited (<see cref="MaxDepth"/>), and every
/// failure is a <see cref="MessagePackFormatException"/> carrying the offset of the value at fault.
/// A failed read leaves <see cref="Position"/> where it was.
/// </summary>
/// <remarks>This file holds the state, peeking, scalars and skipping; strings, binaries, containers and
/// extensions live in MessagePackReader.Sized.cs.</remarks>
public ref partial struct MessagePackReader
{
    /// <summary>Nesting limit used when none is given.</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>Largest nesting limit accepted; skipping recurses once per level, so the stack bounds it.</summary>
    public const int MaxAllowedDepth = 1000;

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;
    private int _depth;

    /// <summary>Creates a reader over <paramref name="buffer"/> that refuses nesting deeper than <paramref name="maxDepth"/>.</summary>
    public MessagePackReader(ReadOnlySpan<byte> buffer, int maxDepth = DefaultMaxDepth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDepth, MaxAllowedDepth);
        _buffer = buffer;
        _position = 0;
        _depth = 0;
        MaxDepth = maxDepth;
    }

    /// <summary>Offset of the next byte to read, from the start of the input.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes not yet read.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool End => _position >= _buffer.Length;

    /// <summary>Deepest nesting of arrays/maps that <see cref="Skip"/> and <see cref="EnterNested"/> accept.</summary>
    public int MaxDepth { get; }

    /// <summary>Current nesting depth as counted by <see cref="EnterNested"/>/<see cref="ExitNested"/>.</summary>
    public readonly int Depth => _depth;

    /// <summary>The input not yet read.</summary>
    public readonly ReadOnlySpan<byte> UnreadSpan => _buffer[_position..];

    /// <summary>
    /// Counts one more level of nesting, for serializers of recursive types: call it before reading the elements of a
    /// nested array/map and <see cref="ExitNested"/> after. Throws when <see cref="MaxDepth"/> would be exceeded.
    /// </summary>
    public void EnterNested() => EnterNestedAt(_position);

    private void EnterNestedAt(int offset)
    {
        if (_depth >= MaxDepth)
        {
            throw new MessagePackFormatException(
                $"MessagePack nesting deeper than {MaxDepth} levels at offset {offset}; the input is malformed or hostile (raise maxDepth only for trusted input)",
                offset);
        }
        _depth++;
    }

    /// <summary>Leaves a level entered with <see cref="EnterNested"/>.</summary>
    public void ExitNested()
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException("ExitNested called more often than EnterNested");
        }
        _depth--;
    }

    /// <summary>The format byte of the next value, without consuming it.</summary>
    public readonly byte PeekCode() => PeekCode("a value");

    /// <summary>The type family of the next value, without consuming it.</summary>
    public readonly MessagePackType PeekType() => MessagePackCode.TypeOf(PeekCode("a value"));

    /// <summary>True when the next value is nil (does not consume it).</summary>
    public readonly bool IsNil => PeekCode("a value") == MessagePackCode.Nil;

    /// <summary>Consumes a nil and returns true, or returns false and consumes nothing.</summary>
    public bool TryReadNil()
    {
        if (PeekCode("a value") != MessagePackCode.Nil)
        {
            return false;
        }
        _position++;
        return true;
    }

    /// <summary>Reads a nil.</summary>
    public void ReadNil()
    {
        byte code = PeekCode("nil");
        if (code != MessagePackCode.Nil)
        {
            throw WrongType("nil", _position, code);
        }
        _position++;
    }

    /// <summary>Reads true or false.</summary>
    public bool ReadBoolean()
    {
        byte code = PeekCode("bool");
        bool value = code switch
        {
            MessagePackCode.True => true,
            MessagePackCode.False => false,
            _ => throw WrongType("bool", _position, code),
        };
        _position++;
        return value;
    }

    /// <summary>Reads any integer format whose value fits in <see cref="long"/>.</summary>
    public long ReadInt64()
    {
        int start = _position;
        byte code = PeekCode("int");
        if (code == MessagePackCode.UInt64)
        {
            ulong big = BinaryPrimitives.ReadUInt64BigEndian(Payload(start, 8, "uint64"));
            if (big > long.MaxValue)
            {
                throw DoesNotFit(big.ToString(), "Int64", start);
            }
            _position = start + 9;
            return (long)big;
        }
        return ReadSignedCore(start, code, "int");
    }

    /// <summary>Reads any integer format whose value fits in <see cref="int"/>.</summary>
    public int ReadInt32() => (int)ReadInRange(int.MinValue, int.MaxValue, "Int32");

    /// <summary>Reads any integer format whose value fits in <see cref="short"/>.</summary>
    public short ReadInt16() => (short)ReadInRange(short.MinValue, short.MaxValue, "Int16");

    /// <summary>Reads any integer format whose value fits in <see cref="sbyte"/>.</summary>
    public sbyte ReadSByte() => (sbyte)ReadInRange(sbyte.MinValue, sbyte.MaxValue, "SByte");

    /// <summary>Reads any integer format whose value fits in <see cref="byte"/>.</summary>
    public byte ReadByte() => (byte)ReadInRange(byte.MinValue, byte.MaxValue, "Byte");

    /// <summary>Reads any integer format whose value fits in <see cref="ushort"/>.</summary>
    public ushort ReadUInt16() => (ushort)ReadInRange(ushort.MinValue, ushort.MaxValue, "UInt16");

    /// <summary>Reads any integer format whose value fits in <see cref="uint"/>.</summary>
    public uint ReadUInt32() => (uint)ReadInRange(uint.MinValue, uint.MaxValue, "UInt32");

    /// <summary>Reads any integer format whose value fits in <see cref="ulong"/> (that is, any non-negative one).</summary>
    public ulong ReadUInt64()
    {
        int start = _position;
        byte code = PeekCode("uint");
        if (code == MessagePackCode.UInt64)
        {
            ulong big = BinaryPrimitives.ReadUInt64BigEndian(Payload(start, 8, "uint64"));
            _position = start + 9;
            return big;
        }
        long value = ReadSignedCore(start, code, "uint");
        if (value < 0)
        {
            _position = start;
            throw DoesNotFit(value.ToString(), "UInt64", start);
        }
        return (ulong)value;
    }

    /// <summary>Reads a float32.</summary>
    public float ReadSingle()
    {
        int start = _position;
        byte code = PeekCode("float32");
        if (code != MessagePackCode.Float32)
        {
            throw WrongType("float32", start, code);
        }
        float value = BinaryPrimitives.ReadSingleBigEndian(Payload(start, 4, "float32"));
        _position = start + 5;
        return value;
    }

    /// <summary>Reads a float64, or a float32 widened to double.</summary>
    public double ReadDouble()
    {
        int start = _position;
        byte code = PeekCode("float");
        switch (code)
        {
            case MessagePackCode.Float32:
                float single = BinaryPrimitives.ReadSingleBigEndian(Payload(start, 4, "float32"));
                _position = start + 5;
                return single;
            case MessagePackCode.Float64:
                double value = BinaryPrimitives.ReadDoubleBigEndian(Payload(start, 8, "float64"));
                _position = start + 9;
                return value;
            default:
                throw WrongType("float", start, code);
        }
    }

    /// <summary>Skips the next value, whatever it is, including everything nested inside it (depth-limited).</summary>
    public void Skip()
    {
        int start = _position;
        int depth = _depth;
        try
        {
            SkipValue();
        }
        catch (MessagePackFormatException)
        {
            _position = start;
            _depth = depth;
            throw;
        }
    }

    /// <summary>Returns the complete encoding of the next value (a slice of the input) and moves past it.</summary>
    public ReadOnlySpan<byte> ReadRawValue()
    {
        int start = _position;
        Skip();
        return _buffer[start.._position];
    }

    private void SkipValue()
    {
        int start = _position;
        byte code = PeekCode("a value");
        switch (MessagePackCode.TypeOf(code))
        {
            case MessagePackType.Array:
                SkipElements(ReadArrayHeader(), start);
                return;
            case MessagePackType.Map:
                SkipElements(2L * ReadMapHeader(), start);
                return;
            case MessagePackType.String:
                ReadStringUtf8();
                return;
            case MessagePackType.Binary:
                ReadBin();
                return;
            case MessagePackType.Extension:
                ReadExtension(out _);
                return;
            case MessagePackType.Unknown:
                throw new MessagePackFormatException(
                    $"invalid MessagePack format byte 0xc1 at offset {start} (the specification never uses it)", start);
            default:
                int size = ScalarSize(code);
                Payload(start, size - 1, MessagePackCode.FormatName(code));
                _position = start + size;
                return;
        }
    }

    private void SkipElements(long count, int containerStart)
    {
        EnterNestedAt(containerStart);
        for (long i = 0; i < count; i++)
        {
            SkipValue();
        }
        _depth--;
    }

    /// <summary>Total size, format byte included, of a nil, bool, int or float value.</summary>
    private static int ScalarSize(byte code) => code switch
    {
        MessagePackCode.UInt8 or MessagePackCode.Int8 => 2,
        MessagePackCode.UInt16 or MessagePackCode.Int16 => 3,
        MessagePackCode.UInt32 or MessagePackCode.Int32 or MessagePackCode.Float32 => 5,
        MessagePackCode.UInt64 or MessagePackCode.Int64 or MessagePackCode.Float64 => 9,
        _ => 1,
    };

    private long ReadInRange(long min, long max, string typeName)
    {
        int start = _position;
        long value = ReadInt64();
        if (value < min || value > max)
        {
            _position = start;
            throw DoesNotFit(value.ToString(), typeName, start);
        }
        return value;
    }

    /// <summary>Reads every integer format except uint64 (the caller handles that one).</summary>
    private long ReadSignedCore(int start, byte code, string expected)
    {
        long value;
        int size;
        switch (code)
        {
            case <= MessagePackCode.MaxPositiveFixInt:
                value = code;
                size = 1;
                break;
            case >= MessagePackCode.MinNegativeFixInt:
                value = unchecked((sbyte)code);
                size = 1;
                break;
            case MessagePackCode.UInt8:
                value = Payload(start, 1, "uint8")[0];
                size = 2;
                break;
            case MessagePackCode.UInt16:
                value = BinaryPrimitives.ReadUInt16BigEndian(Payload(start, 2, "uint16"));
                size = 3;
                break;
            case MessagePackCode.UInt32:
                value = BinaryPrimitives.ReadUInt32BigEndian(Payload(start, 4, "uint32"));
                size = 5;
                break;
            case MessagePackCode.Int8:
                value = unchecked((sbyte)Payload(start, 1, "int8")[0]);
                size = 2;
                break;
            case MessagePackCode.Int16:
                value = BinaryPrimitives.ReadInt16BigEndian(Payload(start, 2, "int16"));
                size = 3;
                break;
            case MessagePackCode.Int32:
                value = BinaryPrimitives.ReadInt32BigEndian(Payload(start, 4, "int32"));
                size = 5;
                break;
            case MessagePackCode.Int64:
                value = BinaryPrimitives.ReadInt64BigEndian(Payload(start, 8, "int64"));
                size = 9;
                break;
            default:
                throw WrongType(expected, start, code);
        }
        _position = start + size;
        return value;
    }

    private readonly byte PeekCode(string expected)
    {
        if (_position >= _buffer.Length)
        {
            throw new MessagePackFormatException(
                $"truncated MessagePack input at offset {_position}: expected {expected}, but the input ends there", _position);
        }
        return _buffer[_position];
    }

    /// <summary>The <paramref name="count"/> bytes after the format byte at <paramref name="start"/>, or a truncation error.</summary>
    private readonly ReadOnlySpan<byte> Payload(int start, int count, string formatName)
    {
        int available = _buffer.Length - start - 1;
        if (available < count)
        {
            throw new MessagePackFormatException(
                $"truncated MessagePack input at offset {start}: {formatName} needs {count} byte(s) after its format byte, but only {available} remain",
                start);
        }
        return _buffer.Slice(start + 1, count);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static MessagePackFormatException WrongType(string expected, int offset, byte code) =>
        new($"expected {expected} at offset {offset}, found {MessagePackCode.FormatName(code)}", offset);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static MessagePackFormatException DoesNotFit(string value, string typeName, int offset) =>
        new($"integer {value} at offset {offset} does not fit in {typeName}", offset);
}
