namespace ActorTrain.Cluster.MessagePack;

/// <summary>
/// The format bytes of the MessagePack specification (https://github.com/msgpack/msgpack/blob/master/spec.md)
/// and a human-readable name for each, used in error messages.
/// </summary>
public static class MessagePackCode
{
    /// <summary>Largest positive fixint (0x00–0x7f encode 0–127).</summary>
    public const byte MaxPositiveFixInt = 0x7f;
    /// <summary>First fixmap byte (0x80–0x8f, up to 15 pairs).</summary>
    public const byte MinFixMap = 0x80;
    /// <summary>Last fixmap byte.</summary>
    public const byte MaxFixMap = 0x8f;
    /// <summary>First fixarray byte (0x90–0x9f, up to 15 elements).</summary>
    public const byte MinFixArray = 0x90;
    /// <summary>Last fixarray byte.</summary>
    public const byte MaxFixArray = 0x9f;
    /// <summary>First fixstr byte (0xa0–0xbf, up to 31 bytes).</summary>
    public const byte MinFixStr = 0xa0;
    /// <summary>Last fixstr byte.</summary>
    public const byte MaxFixStr = 0xbf;
    /// <summary>nil.</summary>
    public const byte Nil = 0xc0;
    /// <summary>The one byte the specification never assigns.</summary>
    public const byte NeverUsed = 0xc1;
    /// <summary>false.</summary>
    public const byte False = 0xc2;
    /// <summary>true.</summary>
    public const byte True = 0xc3;
    /// <summary>bin 8.</summary>
    public const byte Bin8 = 0xc4;
    /// <summary>bin 16.</summary>
    public const byte Bin16 = 0xc5;
    /// <summary>bin 32.</summary>
    public const byte Bin32 = 0xc6;
    /// <summary>ext 8.</summary>
    public const byte Ext8 = 0xc7;
    /// <summary>ext 16.</summary>
    public const byte Ext16 = 0xc8;
    /// <summary>ext 32.</summary>
    public const byte Ext32 = 0xc9;
    /// <summary>float 32.</summary>
    public const byte Float32 = 0xca;
    /// <summary>float 64.</summary>
    public const byte Float64 = 0xcb;
    /// <summary>uint 8.</summary>
    public const byte UInt8 = 0xcc;
    /// <summary>uint 16.</summary>
    public const byte UInt16 = 0xcd;
    /// <summary>uint 32.</summary>
    public const byte UInt32 = 0xce;
    /// <summary>uint 64.</summary>
    public const byte UInt64 = 0xcf;
    /// <summary>int 8.</summary>
    public const byte Int8 = 0xd0;
    /// <summary>int 16.</summary>
    public const byte Int16 = 0xd1;
    /// <summary>int 32.</summary>
    public const byte Int32 = 0xd2;
    /// <summary>int 64.</summary>
    public const byte Int64 = 0xd3;
    /// <summary>fixext 1.</summary>
    public const byte FixExt1 = 0xd4;
    /// <summary>fixext 2.</summary>
    public const byte FixExt2 = 0xd5;
    /// <summary>fixext 4.</summary>
    public const byte FixExt4 = 0xd6;
    /// <summary>fixext 8.</summary>
    public const byte FixExt8 = 0xd7;
    /// <summary>fixext 16.</summary>
    public const byte FixExt16 = 0xd8;
    /// <summary>str 8.</summary>
    public const byte Str8 = 0xd9;
    /// <summary>str 16.</summary>
    public const byte Str16 = 0xda;
    /// <summary>str 32.</summary>
    public const byte Str32 = 0xdb;
    /// <summary>array 16.</summary>
    public const byte Array16 = 0xdc;
    /// <summary>array 32.</summary>
    public const byte Array32 = 0xdd;
    /// <summary>map 16.</summary>
    public const byte Map16 = 0xde;
    /// <summary>map 32.</summary>
    public const byte Map32 = 0xdf;
    /// <summary>First negative fixint byte (0xe0–0xff encode −32 to −1).</summary>
    public const byte MinNegativeFixInt = 0xe0;

    /// <summary>Extension type code the specification reserves for timestamps.</summary>
    public const sbyte TimestampExtensionType = -1;

    /// <summary>The specification's name for a format byte, e.g. "str8" or "positive fixint".</summary>
    public static string FormatName(byte code) => code switch
    {
        <= MaxPositiveFixInt => "positive fixint",
        <= MaxFixMap => "fixmap",
        <= MaxFixArray => "fixarray",
        <= MaxFixStr => "fixstr",
        >= MinNegativeFixInt => "negative fixint",
        Nil => "nil",
        NeverUsed => "never-used byte 0xc1",
        False => "false",
        True => "true",
        Bin8 => "bin8",
        Bin16 => "bin16",
        Bin32 => "bin32",
        Ext8 => "ext8",
        Ext16 => "ext16",
        Ext32 => "ext32",
        Float32 => "float32",
        Float64 => "float64",
        UInt8 => "uint8",
        UInt16 => "uint16",
        UInt32 => "uint32",
        UInt64 => "uint64",
        Int8 => "int8",
        Int16 => "int16",
        Int32 => "int32",
        Int64 => "int64",
        FixExt1 => "fixext1",
        FixExt2 => "fixext2",
        FixExt4 => "fixext4",
        FixExt8 => "fixext8",
        FixExt16 => "fixext16",
        Str8 => "str8",
        Str16 => "str16",
        Str32 => "str32",
        Array16 => "array16",
        Array32 => "array32",
        Map16 => "map16",
        Map32 => "map32",
    };

    /// <summary>The value family a format byte belongs to.</summary>
    public static MessagePackType TypeOf(byte code) => code switch
    {
        <= MaxPositiveFixInt => MessagePackType.Integer,
        <= MaxFixMap => MessagePackType.Map,
        <= MaxFixArray => MessagePackType.Array,
        <= MaxFixStr => MessagePackType.String,
        >= MinNegativeFixInt => MessagePackType.Integer,
        Nil => MessagePackType.Nil,
        NeverUsed => MessagePackType.Unknown,
        False or True => MessagePackType.Boolean,
        Bin8 or Bin16 or Bin32 => MessagePackType.Binary,
        Ext8 or Ext16 or Ext32 or FixExt1 or FixExt2 or FixExt4 or FixExt8 or FixExt16 => MessagePackType.Extension,
        Float32 or Float64 => MessagePackType.Float,
        UInt8 or UInt16 or UInt32 or UInt64 or Int8 or Int16 or Int32 or Int64 => MessagePackType.Integer,
        Str8 or Str16 or Str32 => MessagePackType.String,
        Array16 or Array32 => MessagePackType.Array,
        Map16 or Map32 => MessagePackType.Map,
    };
}
