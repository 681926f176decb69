using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

/// <summary>
/// A loopback registry that speaks only HTTPS, with a certificate nobody signed: Modulus tries
/// plain HTTP first (loopback), learns it is the wrong scheme, and goes on over HTTPS without
/// checking the certificate, as for any registry that loopback or the insecure list allows.
/// </summary>
[NonParallelizable]
public class RegistryTlsTests : RegistryTest
{
    protected override RegistryServer StartRegistry(TempDirectory folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = folder.WriteFile("registry.crt", certificate.ExportCertificatePem());
        var keyPath = folder.WriteFile("registry.key", key.ExportPkcs8PrivateKeyPem());
        return RegistryServer.Start(tls: (certificatePath, keyPath));
    }

    [Test]
    public async Task A_loopback_registry_over_HTTPS_with_a_self_signed_certificate_works()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "tls");
        var target = RegistryTestKit.Reference(Registry.Address, "app/tls", "v1");

        await RegistryPusher.PushAsync(image, target, [], store, Kit.Options);
        await ShouldPullBackAs(target, image);
    }
}
