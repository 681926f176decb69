using System.Net;
using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

/// <summary>
/// A registry over HTTPS that takes only clients with a certificate its client CA signed
/// (docker-registry's <c>tls.clientcas</c>), reached as <c>modulus-mtls.test:PORT</c> as in
/// <see cref="RegistryTrustTests"/>: the client certificate is found the Docker way, as
/// <c>client.cert</c> and <c>client.key</c> in the registry's certs.d folder beside its CA.
/// </summary>
[NonParallelizable]
public class RegistryClientCertificateTests : RegistryTest
{
    private const string Host = "modulus-mtls.test";

    private TestCertificates _server = null!;
    private TestCertificates _clients = null!;

    protected override RegistryServer StartRegistry(TempDirectory folder)
    {
        _server = new TestCertificates("Modulus test CA");
        _clients = new TestCertificates("Modulus test client CA");
        return RegistryServer.Start(tls: _server.IssueServer(Host, folder), clientAuthorityPath: folder.WriteFile("client-ca.pem", _clients.AuthorityPem));
    }

    protected override void StopServices()
    {
        _server.Dispose();
        _clients.Dispose();
    }

    private string Name => $"{Host}:{Registry.Port}";

    private string Folder => Path.Combine(Path.GetDirectoryName(Kit.DockerConfigPath)!, "certs.d", Name);

    private RegistryOptions Options => Kit.Options with
    {
        HostAddresses = new Dictionary<string, IPAddress> { [Host] = IPAddress.Loopback },
        DockerCertsDirectory = Path.GetDirectoryName(Folder)!,
    };

    [SetUp]
    public void TrustTheServer()
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "ca.crt"), _server.AuthorityPem);
    }

    [Test]
    public async Task The_client_certificate_in_certs_d_is_offered_and_a_push_and_pull_go_through()
    {
        _clients.IssueClient("modulus-ci", Folder);
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "mtls-image");
        var target = RegistryTestKit.Reference(Name, "mtls/image", "v1");

        await RegistryPusher.PushAsync(image, target, [], store, Options);

        RegistryTestKit.ShouldBeTheSameImage(await RegistryImageSource.PullAsync(target, Platform.LinuxAmd64, Kit.NewStore(), Options), image);
    }

    [Test]
    public async Task Without_a_client_certificate_the_refusal_is_MOD1031_naming_the_folder_to_put_one_in()
    {
        var e = await RegistryTestKit.FailsWith(Errors.RegistryClientCertificateRequired, Pull);

        e.Message.ShouldContain($"{Name} refused the TLS connection");
        e.Message.ShouldContain($"{Folder} holds no client certificate");
    }

    [Test]
    public async Task A_client_certificate_its_CA_did_not_sign_is_MOD1031_naming_it()
    {
        using var stranger = new TestCertificates("Another CA");
        stranger.IssueClient("someone-else", Folder);

        var e = await RegistryTestKit.FailsWith(Errors.RegistryClientCertificateRequired, Pull);

        e.Message.ShouldContain("CN=someone-else");
    }

    [Test]
    public async Task A_certificate_without_its_key_is_MOD1030_before_anything_is_sent()
    {
        var (_, key) = _clients.IssueClient("modulus-ci", Folder);
        File.Delete(key);

        var e = await RegistryTestKit.FailsWith(Errors.RegistryClientCertificateInvalid, Pull);

        e.Message.ShouldContain(Path.Combine(Folder, "client.cert"));
        e.Message.ShouldContain("its key client.key is missing");
    }

    private Task Pull() =>
        RegistryImageSource.PullAsync(RegistryTestKit.Reference(Name, "mtls/any", "v1"), Platform.LinuxAmd64, Kit.NewStore(), Options);
}
