using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain cert</c>: makes a cluster CA and one certificate per node for <c>actortrain.cluster.tls</c>:
/// <c>ca.pem</c> (give it to every node as tls.ca), <c>ca.pfx</c> (the CA's key: keep it off the nodes; pass it back
/// with --ca to issue more node certificates) and <c>&lt;node&gt;.pfx</c> (a node's tls.certificate).
/// </summary>
public static class CertCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Directory for the files.", DefaultValueFactory = _ => "certs" };
        var nodes = new Option<string[]>("--node") { Description = "Name of a node to issue a certificate for (repeatable), e.g. --node node-a --node node-b.", AllowMultipleArgumentsPerToken = true };
        var ca = new Option<string?>("--ca") { Description = "An existing ca.pfx to issue from (default: make a new CA in --out)." };
        var password = new Option<string>("--password") { Description = "Password of the .pfx files (default: empty; prefer setting ACTORTRAIN_CLUSTER_TLS_PASSWORD on the nodes).", DefaultValueFactory = _ => "" };
        var days = new Option<int>("--days") { Description = "Validity in days.", DefaultValueFactory = _ => 365 };
        var command = new Command("cert", "Make a cluster CA and node certificates for actortrain.cluster.tls (mutual TLS between nodes).")
        {
            output, nodes, ca, password, days,
        };
        command.SetAction(parse =>
        {
            try
            {
                Run(parse.GetValue(output)!, parse.GetValue(nodes) ?? [], parse.GetValue(ca), parse.GetValue(password)!, parse.GetValue(days));
                return 0;
            }
            catch (Exception ex) when (UserFacingError.IsUserError(ex))
            {
                UserFacingError.Print(ex);
                return 1;
            }
        });
        return command;
    }

    /// <summary>Writes the CA (unless <paramref name="caPfx"/> is given) and one .pfx per node into <paramref name="directory"/>.</summary>
    public static void Run(string directory, IReadOnlyList<string> nodes, string? caPfx, string password, int days)
    {
        if (days < 1) throw new ArgumentException("--days must be at least 1");
        Directory.CreateDirectory(directory);
        X509Certificate2 authority;
        if (caPfx is not null)
        {
            authority = X509CertificateLoader.LoadPkcs12FromFile(caPfx, password, X509KeyStorageFlags.Exportable);
            if (!authority.HasPrivateKey) throw new ArgumentException($"{caPfx} holds no private key; pass the CA's ca.pfx");
        }
        else
        {
            authority = MakeAuthority(days);
            File.WriteAllBytes(Path.Combine(directory, "ca.pfx"), authority.Export(X509ContentType.Pfx, password));
            Console.WriteLine($"cert: CA {authority.Subject} → {Path.Combine(directory, "ca.pfx")} (keep this one off the nodes)");
        }
        File.WriteAllText(Path.Combine(directory, "ca.pem"), authority.ExportCertificatePem() + "\n");
        Console.WriteLine($"cert: CA certificate → {Path.Combine(directory, "ca.pem")} (every node's actortrain.cluster.tls.ca)");
        foreach (var node in nodes)
        {
            if (node.Length == 0 || node.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
                throw new ArgumentException($"--node '{node}': use letters, digits, '-', '_' and '.'");
            using var certificate = Issue(authority, node, days);
            string path = Path.Combine(directory, node + ".pfx");
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
            Console.WriteLine($"cert: node {node} → {path} (its actortrain.cluster.tls.certificate)");
        }
    }

    private static X509Certificate2 MakeAuthority(int days)
    {
        using var key = RSA.Create(3072);
        var request = new CertificateRequest($"CN=ActorTrain cluster CA {Guid.NewGuid():N}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(days));
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string node, int days)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={node}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        // Every node is both server and client of the others.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(node);
        request.CertificateExtensions.Add(names.Build());
        var notAfter = DateTimeOffset.UtcNow.AddDays(days);
        if (notAfter > authority.NotAfter) notAfter = authority.NotAfter;
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddMinutes(-5), notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }
}
