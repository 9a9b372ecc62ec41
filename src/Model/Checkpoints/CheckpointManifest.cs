using System.Security.Cryptography;
using System.Text.Json;

namespace ActorTrain.Model.Checkpoints;

/// <summary>
/// <c>manifest.json</c>: the size and SHA-256 of every other file of a checkpoint, written last (atomically), so a
/// checkpoint with a manifest is complete and any later change to a file — a flipped byte inside tensor data, an
/// edited step in state.json, a truncation — is detected when the checkpoint is opened.
/// </summary>
public static class CheckpointManifest
{
    /// <summary>File name of the manifest.</summary>
    public const string FileName = "manifest.json";

    private const int FormatVersion = 1;

    private sealed record Entry(long Bytes, string Sha256);

    private sealed record Document(int FormatVersion, Dictionary<string, Entry> Files);

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>Hashes <paramref name="files"/> (names inside <paramref name="directory"/>) and writes the manifest atomically.</summary>
    public static void Write(string directory, IEnumerable<string> files)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var name in files)
        {
            var path = Path.Combine(directory, name);
            entries[name] = new Entry(new FileInfo(path).Length, Sha256Of(path));
        }
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(new Document(FormatVersion, entries), Options));
    }

    /// <summary>
    /// Checks every file the manifest lists against its size and SHA-256.
    /// </summary>
    /// <exception cref="CheckpointIntegrityException">Names the first file that is missing, truncated or corrupted,
    /// or the manifest itself when it is absent or unreadable.</exception>
    public static void Verify(string directory)
    {
        var manifestPath = Path.Combine(directory, FileName);
        if (!File.Exists(manifestPath))
            throw new CheckpointIntegrityException(manifestPath,
                $"checkpoint {directory} has no {FileName}: its save was interrupted, or it was written by a version without manifests; it cannot be verified.");
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(File.ReadAllBytes(manifestPath), Options);
        }
        catch (JsonException e)
        {
            throw new CheckpointIntegrityException(manifestPath, $"{manifestPath}: not a valid checkpoint manifest ({e.Message}).", e);
        }
        if (document?.Files is not { Count: > 0 } files || document.FormatVersion != FormatVersion)
            throw new CheckpointIntegrityException(manifestPath, $"{manifestPath}: not a valid checkpoint manifest (format version {document?.FormatVersion}, {document?.Files?.Count ?? 0} files).");
        foreach (var (name, expected) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(directory, name);
            if (name.Contains('/') || name.Contains('\\') || name == "..")
                throw new CheckpointIntegrityException(manifestPath, $"{manifestPath}: lists '{name}', which is not a file of the checkpoint directory.");
            if (!File.Exists(path))
                throw new CheckpointIntegrityException(path, $"checkpoint file {path} is missing (listed in {FileName}).");
            var length = new FileInfo(path).Length;
            if (length != expected.Bytes)
                throw new CheckpointIntegrityException(path,
                    $"checkpoint file {path} is {length:N0} bytes but {FileName} recorded {expected.Bytes:N0}: it was {(length < expected.Bytes ? "truncated" : "changed")} after the save.");
            var actual = Sha256Of(path);
            if (!string.Equals(actual, expected.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new CheckpointIntegrityException(path,
                    $"checkpoint file {path} is corrupted: its SHA-256 is {actual}, {FileName} recorded {expected.Sha256}.");
        }
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
