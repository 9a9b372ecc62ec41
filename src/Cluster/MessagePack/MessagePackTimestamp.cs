namespace ActorTrain.Cluster.MessagePack;

/// <summary>
/// A point in time as the MessagePack timestamp extension (type −1) carries it: seconds since the Unix epoch
/// (may be negative) plus nanoseconds in [0, 999 999 999]. Wider than <see cref="DateTime"/> in both range and
/// resolution, so it round-trips every timestamp a peer can send.
/// </summary>
public readonly record struct MessagePackTimestamp
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;
    private const uint NanosecondsPerTick = 100;

    /// <summary>Creates a timestamp; throws when <paramref name="nanoseconds"/> is 1 000 000 000 or more.</summary>
    public MessagePackTimestamp(long seconds, uint nanoseconds)
    {
        if (nanoseconds > 999_999_999)
        {
            throw new ArgumentOutOfRangeException(nameof(nanoseconds), nanoseconds, "nanoseconds must be at most 999999999");
        }
        Seconds = seconds;
        Nanoseconds = nanoseconds;
    }

    /// <summary>Seconds since 1970-01-01T00:00:00Z.</summary>
    public long Seconds { get; }

    /// <summary>Nanoseconds within the second, 0 to 999 999 999.</summary>
    public uint Nanoseconds { get; }

    /// <summary>Converts a <see cref="DateTime"/> (local times are converted to UTC first; unspecified is taken as UTC).</summary>
    public static MessagePackTimestamp FromDateTime(DateTime value)
    {
        if (value.Kind == DateTimeKind.Local)
        {
            value = value.ToUniversalTime();
        }
        long ticks = value.Ticks - DateTime.UnixEpoch.Ticks;
        long seconds = Math.DivRem(ticks, TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TicksPerSecond;
        }
        return new MessagePackTimestamp(seconds, (uint)remainder * NanosecondsPerTick);
    }

    /// <summary>
    /// Converts to a UTC <see cref="DateTime"/>, truncating to its 100 ns resolution; throws
    /// <see cref="ArgumentOutOfRangeException"/> when the timestamp lies outside years 1–9999.
    /// </summary>
    public DateTime ToDateTime()
    {
        long maxSeconds = (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TicksPerSecond;
        long minSeconds = (DateTime.MinValue.Ticks - DateTime.UnixEpoch.Ticks) / TicksPerSecond;
        if (Seconds < minSeconds || Seconds > maxSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(Seconds), Seconds, "timestamp lies outside the range DateTime can represent (years 1-9999)");
        }
        return DateTime.UnixEpoch.AddTicks(Seconds * TicksPerSecond + Nanoseconds / NanosecondsPerTick);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Seconds}.{Nanoseconds:D9}s since epoch";
}
