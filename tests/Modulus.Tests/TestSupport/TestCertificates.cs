using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// A certificate authority made for one test class, and server certificates it signs for host
/// names, written as PEM files (no openssl involved). Valid from yesterday until tomorrow.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly RSA _caKey = RSA.Create(2048);
    private readonly X509Certificate2 _ca;

    public TestCertificates(string name)
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>The CA's certificate in PEM, as a ca.crt file holds it.</summary>
    public string AuthorityPem => _ca.ExportCertificatePem();

    /// <summary>Writes a server certificate for <paramref name="hostName"/> signed by this CA, and its key, into <paramref name="folder"/>.</summary>
    public (string CertificatePath, string KeyPath) IssueServer(string hostName, TempDirectory folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddDays(-1).AddMinutes(1), DateTimeOffset.UtcNow.AddDays(1).AddMinutes(-1), RandomNumberGenerator.GetBytes(16));
        return (folder.WriteFile(hostName + ".crt", certificate.ExportCertificatePem()), folder.WriteFile(hostName + ".key", key.ExportPkcs8PrivateKeyPem()));
    }

    /// <summary>Writes a client certificate for <paramref name="name"/> signed by this CA, and its key, as <c>FILE.cert</c> and <c>FILE.key</c> in <paramref name="folder"/>.</summary>
    public (string CertificatePath, string KeyPath) IssueClient(string name, string folder, string file = "client")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddDays(-1).AddMinutes(1), DateTimeOffset.UtcNow.AddDays(1).AddMinutes(-1), RandomNumberGenerator.GetBytes(16));
        Directory.CreateDirectory(folder);
        var (certificatePath, keyPath) = (Path.Combine(folder, file + ".cert"), Path.Combine(folder, file + ".key"));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
    }
}
