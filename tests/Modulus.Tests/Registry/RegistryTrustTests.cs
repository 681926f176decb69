using System.Net;
using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

/// <summary>
/// A registry over HTTPS with a certificate from a CA made here, reached as
/// <c>modulus-registry.test:PORT</c>: a name the client does not treat as loopback, so nothing is
/// insecure by default. The server listens on 127.0.0.1 like every test server; the name reaches
/// it through <see cref="RegistryOptions.HostAddresses"/>, which only tests set (a .test name
/// never resolves anywhere else, RFC 6761). The Docker certs.d folder is the kit's own.
/// </summary>
[NonParallelizable]
public class RegistryTrustTests : RegistryTest
{
    private const string Host = "modulus-registry.test";
    private const string OtherHost = "another-name.test";

    private TestCertificates _authority = null!;

    protected override RegistryServer StartRegistry(TempDirectory folder)
    {
        _authority = new TestCertificates("Modulus test CA");
        return RegistryServer.Start(tls: _authority.IssueServer(Host, folder));
    }

    protected override void StopServices() => _authority.Dispose();

    private string Name => $"{Host}:{Registry.Port}";

    private string CertsDirectory => Path.Combine(Path.GetDirectoryName(Kit.DockerConfigPath)!, "certs.d");

    private RegistryOptions Options => Kit.Options with
    {
        HostAddresses = new Dictionary<string, IPAddress> { [Host] = IPAddress.Loopback, [OtherHost] = IPAddress.Loopback },
        DockerCertsDirectory = CertsDirectory,
    };

    /// <summary>Writes the CA as Docker reads it: certs.d/HOST:PORT/ca.crt.</summary>
    private void TrustAuthorityFor(string registry, string? pem = null)
    {
        var folder = Path.Combine(CertsDirectory, registry);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "ca.crt"), pem ?? _authority.AuthorityPem);
    }

    private async Task PushAndPullBack(string registry, string repository)
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, repository.Replace('/', '-'));
        var target = RegistryTestKit.Reference(registry, repository, "v1");
        await RegistryPusher.PushAsync(image, target, [], store, Options);
        RegistryTestKit.ShouldBeTheSameImage(await RegistryImageSource.PullAsync(target, Platform.LinuxAmd64, Kit.NewStore(), Options), image);
    }

    private Task Pull(string registry) =>
        RegistryImageSource.PullAsync(RegistryTestKit.Reference(registry, "trust/any", "v1"), Platform.LinuxAmd64, Kit.NewStore(), Options);

    [Test]
    public void The_shipped_certs_d_folder_is_Dockers() =>
        RegistryOptions.Default.DockerCertsDirectory.ShouldBe("/etc/docker/certs.d");

    [Test]
    public async Task A_certificate_from_an_unknown_CA_is_refused_with_MOD1016_naming_the_registry()
    {
        var e = await RegistryTestKit.FailsWith(Errors.RegistryCertificateUntrusted, () => Pull(Name));

        e.Message.ShouldContain($"The TLS certificate of {Name} is refused: {Host}: its certificate is signed by no authority");
        e.Message.ShouldContain(Path.Combine(CertsDirectory, Name) + "/ca.crt");
        Kit.Log.ShouldBeEmpty("a refused certificate is not retried");
    }

    [Test]
    public async Task The_CA_in_certs_d_for_the_registry_is_trusted()
    {
        TrustAuthorityFor(Name);

        await PushAndPullBack(Name, "trust/certs-d");
    }

    [Test]
    public async Task A_CA_given_for_another_port_is_not_used()
    {
        TrustAuthorityFor($"{Host}:{Registry.Port + 1}");
        TrustAuthorityFor(Host);

        await RegistryTestKit.FailsWith(Errors.RegistryCertificateUntrusted, () => Pull(Name));
    }

    [Test]
    public async Task A_trusted_CA_does_not_excuse_a_certificate_issued_for_another_name()
    {
        var other = $"{OtherHost}:{Registry.Port}";
        TrustAuthorityFor(other);

        var e = await RegistryTestKit.FailsWith(Errors.RegistryCertificateUntrusted, () => Pull(other));

        e.Message.ShouldContain($"{OtherHost}: its certificate was not issued for {OtherHost}");
    }

    [Test]
    public async Task A_registry_listed_as_insecure_needs_no_CA()
    {
        Kit.Environment["MODULUS_INSECURE_REGISTRIES"] = Name;

        await PushAndPullBack(Name, "trust/insecure");
    }

    [Test]
    public async Task A_CA_file_that_holds_no_certificate_fails_with_MOD1017_naming_it()
    {
        TrustAuthorityFor(Name, "not a certificate");

        var e = await RegistryTestKit.FailsWith(Errors.RegistryCertificateAuthorityInvalid, () => Pull(Name));

        e.Message.ShouldContain(Path.Combine(CertsDirectory, Name, "ca.crt"));
    }
}
