using System.Security.Cryptography.X509Certificates;
using ActorTrain.Cluster.Settings;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace ActorTrain.Cluster.Tls;

/// <summary>
/// Akka.Remote's DotNetty TLS for <c>actortrain.cluster.tls</c>: the node presents its certificate, requires the
/// peer's (mutual authentication), and accepts a peer only when its certificate chains to the cluster CA — not to the
/// system's CA store, so a certificate from any other CA is refused.
/// </summary>
public static class ClusterTls
{
    /// <summary>The setup to add to the actor system's <c>ActorSystemSetup</c>.</summary>
    /// <exception cref="InvalidOperationException">A certificate file cannot be read; the message names it.</exception>
    public static DotNettySslSetup CreateSetup(TlsSettings tls)
    {
        X509Certificate2 certificate, ca;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(tls.Certificate, tls.Password, X509KeyStorageFlags.Exportable);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new InvalidOperationException($"actortrain.cluster.tls.certificate: cannot read '{tls.Certificate}' as a .pfx with the given password: {e.Message}", e);
        }
        try
        {
            ca = X509CertificateLoader.LoadCertificateFromFile(tls.CertificateAuthority);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new InvalidOperationException($"actortrain.cluster.tls.ca: cannot read '{tls.CertificateAuthority}' as a certificate: {e.Message}", e);
        }
        return new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true,
            validateCertificateHostname: false, customValidator: ChainsTo(ca));
    }

    /// <summary>Accepts a peer certificate only when it chains to <paramref name="ca"/> (and is within its validity).</summary>
    public static CertificateValidationCallback ChainsTo(X509Certificate2 ca) => (certificate, _, remotePeer, _, log) =>
    {
        if (certificate is null)
        {
            log?.Warning("TLS: {0} presented no certificate; refused", remotePeer);
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        bool ok = chain.Build(certificate);
        if (!ok)
            log?.Warning("TLS: refused {0}: its certificate '{1}' does not chain to the cluster CA '{2}' ({3})", remotePeer, certificate.Subject, ca.Subject,
                string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim())));
        return ok;
    };
}
