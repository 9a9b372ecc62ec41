namespace ActorTrain.Cluster.MessagePack;

/// <summary>
/// The remoting envelope format: a 4-element array <c>[sender path (str or nil), recipient path (str), type id (int),
/// payload (one value written by the type's serializer)]</c>. The payload is inline MessagePack, not wrapped in a bin,
/// so a gradient bucket serialized as bin is the bucket's bytes verbatim inside the frame.
/// </summary>
public static class EnvelopeSerializer
{
    /// <summary>Number of elements in the envelope array.</summary>
    public const int FieldCount = 4;

    /// <summary>Writes a complete envelope for <paramref name="message"/>, whose runtime type must be registered.</summary>
    /// <exception cref="InvalidOperationException">The message's type is not registered (nothing has been written then).</exception>
    public static void Write(ref MessagePackWriter writer, MessageTypeRegistry registry, string? senderPath, string recipientPath, object message)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(message);
        int typeId = registry.GetTypeId(message.GetType());
        WriteHeader(ref writer, senderPath, recipientPath, typeId);
        registry.WritePayload(ref writer, message);
    }

    /// <summary>Writes a complete envelope without boxing a value-type message.</summary>
    public static void Write<T>(ref MessagePackWriter writer, MessageTypeRegistry registry, string? senderPath, string recipientPath, T message)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(registry);
        int typeId = registry.GetTypeId(message.GetType());
        WriteHeader(ref writer, senderPath, recipientPath, typeId);
        registry.WritePayload(ref writer, message);
    }

    /// <summary>
    /// Writes everything before the payload. The caller must then write exactly one MessagePack value, e.g.
    /// <see cref="MessagePackWriter.WriteBinHeader"/> followed by a bucket's bytes sent straight from its memory.
    /// </summary>
    public static void WriteHeader(ref MessagePackWriter writer, string? senderPath, string recipientPath, int typeId)
    {
        ArgumentNullException.ThrowIfNull(recipientPath);
        writer.WriteArrayHeader(FieldCount);
        writer.WriteString(senderPath);
        writer.WriteString(recipientPath);
        writer.WriteInt32(typeId);
    }

    /// <summary>Reads everything before the payload and leaves the reader at the payload.</summary>
    /// <exception cref="MessagePackFormatException">The bytes are not an envelope.</exception>
    public static EnvelopeHeader ReadHeader(ref MessagePackReader reader)
    {
        int start = reader.Position;
        int fields = reader.ReadArrayHeader();
        if (fields != FieldCount)
        {
            throw new MessagePackFormatException(
                $"envelope at offset {start} has {fields} fields; expected {FieldCount} [sender path, recipient path, type id, payload]", start);
        }
        string? senderPath = reader.ReadNullableString();
        string recipientPath = reader.ReadString();
        int typeId = reader.ReadInt32();
        return new EnvelopeHeader(senderPath, recipientPath, typeId);
    }

    /// <summary>Reads a complete envelope, deserializing the payload with the serializer registered for its type id.</summary>
    /// <exception cref="UnknownMessageTypeException">The type id is not registered.</exception>
    /// <exception cref="MessagePackFormatException">The bytes are not a valid envelope.</exception>
    public static Envelope Read(ref MessagePackReader reader, MessageTypeRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        EnvelopeHeader header = ReadHeader(ref reader);
        object message = registry.ReadPayload(ref reader, header.TypeId);
        return new Envelope(header.SenderPath, header.RecipientPath, header.TypeId, message);
    }

    /// <summary>
    /// Reads a frame that must hold exactly one envelope: bytes left over after it are a format error, because they
    /// mean sender and receiver disagree about the message's layout.
    /// </summary>
    public static Envelope ReadFrame(ReadOnlySpan<byte> frame, MessageTypeRegistry registry, int maxDepth = MessagePackReader.DefaultMaxDepth)
    {
        var reader = new MessagePackReader(frame, maxDepth);
        Envelope envelope = Read(ref reader, registry);
        if (!reader.End)
        {
            throw new MessagePackFormatException(
                $"{reader.Remaining} unexpected byte(s) at offset {reader.Position} after the envelope for type id {envelope.TypeId}; the payload's serializer read less than was written",
                reader.Position);
        }
        return envelope;
    }
}
