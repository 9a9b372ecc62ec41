namespace ActorTrain.Cluster.MessagePack;

/// <summary>The value families of the MessagePack type system, as seen by <see cref="MessagePackReader.PeekType"/>.</summary>
public enum MessagePackType
{
    /// <summary>The never-used format byte 0xc1; not a valid value.</summary>
    Unknown = 0,
    /// <summary>nil.</summary>
    Nil,
    /// <summary>true or false.</summary>
    Boolean,
    /// <summary>Any signed or unsigned integer format, including fixints.</summary>
    Integer,
    /// <summary>float32 or float64.</summary>
    Float,
    /// <summary>UTF-8 string (fixstr, str8/16/32).</summary>
    String,
    /// <summary>Byte array (bin8/16/32).</summary>
    Binary,
    /// <summary>Array (fixarray, array16/32).</summary>
    Array,
    /// <summary>Map (fixmap, map16/32).</summary>
    Map,
    /// <summary>Extension (fixext1/2/4/8/16, ext8/16/32), timestamps included.</summary>
    Extension,
}
