using System.Security.Cryptography;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// The per-job secret that every data-plane connection presents in its hello. The job coordinator draws it once per
/// job and hands it out over the rendezvous (control plane); a listener drops any connection that does not present
/// it, before reserving more than <see cref="LinkHello.MaxEncodedBytes"/> for that connection.
/// </summary>
public static class DataLinkToken
{
    /// <summary>Token length in bytes.</summary>
    public const int Length = 32;

    /// <summary>A fresh token from the operating system's cryptographic random source.</summary>
    public static byte[] Create() => RandomNumberGenerator.GetBytes(Length);

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="token"/> has <see cref="Length"/> bytes.</summary>
    public static byte[] Validate(byte[]? token, string parameterName)
    {
        if (token is null || token.Length != Length)
            throw new ArgumentException($"the data-link token must be {Length} bytes (from DataLinkToken.Create, handed out over the rendezvous), got {token?.Length.ToString() ?? "none"}", parameterName);
        return token;
    }

    /// <summary>Compares in time that does not depend on where the tokens differ.</summary>
    public static bool Matches(ReadOnlySpan<byte> presented, ReadOnlySpan<byte> expected) =>
        CryptographicOperations.FixedTimeEquals(presented, expected);

    /// <summary>Hex form, for a token passed through a line protocol between processes.</summary>
    public static string ToHex(byte[] token) => Convert.ToHexString(Validate(token, nameof(token)));

    /// <summary>Parses <see cref="ToHex"/>'s form.</summary>
    public static byte[] FromHex(string hex) => Validate(Convert.FromHexString(hex), nameof(hex));
}
