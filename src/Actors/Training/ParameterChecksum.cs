using System.Runtime.InteropServices;

namespace ActorTrain.Actors.Training;

/// <summary>A 64-bit checksum of float bits (FNV-1a over 64-bit words), to show that replicas are identical.</summary>
public static class ParameterChecksum
{
    /// <summary>Checksum of <paramref name="values"/>' exact bits.</summary>
    public static ulong Of(ReadOnlySpan<float> values)
    {
        const ulong prime = 1099511628211UL;
        ulong hash = 14695981039346656037UL;
        var words = MemoryMarshal.Cast<float, ulong>(values);
        foreach (var w in words) hash = (hash ^ w) * prime;
        if ((values.Length & 1) == 1) hash = (hash ^ BitConverter.SingleToUInt32Bits(values[^1])) * prime;
        return (hash ^ (ulong)values.Length) * prime;
    }

    /// <summary>The checksum as four 16-bit pieces in floats (each exact), so a float collective can carry it.</summary>
    public static float[] ToExactFloats(ulong checksum) =>
        [(ushort)checksum, (ushort)(checksum >> 16), (ushort)(checksum >> 32), (ushort)(checksum >> 48)];

    /// <summary>The checksum <see cref="ToExactFloats"/> split up.</summary>
    public static ulong FromExactFloats(ReadOnlySpan<float> pieces)
    {
        if (pieces.Length != 4) throw new ArgumentException($"a checksum is 4 pieces, not {pieces.Length}", nameof(pieces));
        ulong checksum = 0;
        for (var i = 3; i >= 0; i--) checksum = (checksum << 16) | (ushort)pieces[i];
        return checksum;
    }

    /// <summary>"0x0123456789abcdef".</summary>
    public static string Format(ulong checksum) => $"0x{checksum:x16}";
}
