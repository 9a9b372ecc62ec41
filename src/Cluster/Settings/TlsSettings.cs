namespace ActorTrain.Cluster.Settings;

/// <summary><c>actortrain.cluster.tls</c>: mutual TLS between nodes from a cluster CA.</summary>
public sealed record TlsSettings
{
    /// <summary>Config path of this section.</summary>
    public const string Path = "actortrain.cluster.tls";

    /// <summary>Whether connections between nodes use TLS with mutual authentication.</summary>
    public bool Enabled { get; init; }

    /// <summary>The node's certificate with its private key (.pfx).</summary>
    public string Certificate { get; init; } = "";

    /// <summary>Password of <see cref="Certificate"/>.</summary>
    public string Password { get; init; } = "";

    /// <summary>The cluster CA certificate (PEM or DER) every peer's certificate must chain to.</summary>
    public string CertificateAuthority { get; init; } = "";

    /// <summary>Reads and validates the section; errors go to <paramref name="reader"/>.</summary>
    public static TlsSettings Bind(SettingsReader reader)
    {
        const string p = Path + ".";
        var settings = new TlsSettings
        {
            Enabled = reader.Boolean(p + "enabled"),
            Certificate = reader.String(p + "certificate"),
            Password = reader.String(p + "password"),
            CertificateAuthority = reader.String(p + "ca"),
        };
        if (!settings.Enabled) return settings;
        foreach (var (key, file) in new[] { ("certificate", settings.Certificate), ("ca", settings.CertificateAuthority) })
        {
            if (file.Length == 0) reader.Fail(p + key, "must name a file when actortrain.cluster.tls.enabled = on (make one with `actortrain cert`)");
            else if (!File.Exists(file)) reader.Fail(p + key, $"file '{file}' does not exist");
        }
        return settings;
    }
}
