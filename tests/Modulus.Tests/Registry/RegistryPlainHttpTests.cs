using System.Net;
using System.Text;
using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

/// <summary>
/// A plain-HTTP registry reached under a name that is not loopback (<c>modulus-registry.test</c>,
/// mapped to 127.0.0.1 through <see cref="RegistryOptions.HostAddresses"/>): refused unless listed
/// as insecure; and a token service on plain HTTP off loopback never gets credentials (MOD1013).
/// </summary>
[NonParallelizable]
public class RegistryPlainHttpTests : RegistryTest
{
    private const string Host = "modulus-registry.test";
    private const string TokenHost = "modulus-tokens.test";
    private const string User = "deployer";
    private const string Password = "plain-http-Pa55";

    private string Name => $"{Host}:{Registry.Port}";

    private RegistryOptions Options => Kit.Options with
    {
        HostAddresses = new Dictionary<string, IPAddress> { [Host] = IPAddress.Loopback, [TokenHost] = IPAddress.Loopback },
    };

    [Test]
    public async Task A_registry_off_loopback_that_speaks_only_plain_HTTP_is_refused_with_MOD1006()
    {
        var e = await RegistryTestKit.FailsWith(Errors.RegistryUnreachable,
            () => RegistryImageSource.PullAsync(RegistryTestKit.Reference(Name, "plain/app", "v1"), Platform.LinuxAmd64, Kit.NewStore(), Options));

        e.Message.ShouldContain($"Could not reach the registry {Name}: it does not speak HTTPS");
        e.Message.ShouldContain("MODULUS_INSECURE_REGISTRIES");
    }

    [Test]
    public async Task The_same_registry_listed_as_insecure_is_used_over_plain_HTTP()
    {
        Kit.Environment["MODULUS_INSECURE_REGISTRIES"] = Name;
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "plain-listed");
        var target = RegistryTestKit.Reference(Name, "plain/listed", "v1");

        await RegistryPusher.PushAsync(image, target, [], store, Options);

        RegistryTestKit.ShouldBeTheSameImage(await RegistryImageSource.PullAsync(target, Platform.LinuxAmd64, Kit.NewStore(), Options), image);
    }

    [Test]
    public async Task Credentials_are_never_sent_over_plain_HTTP_to_a_token_service_off_loopback()
    {
        using var folder = new TempDirectory("token-realm");
        using var tokens = new TripwireServer();
        using var issuer = new TokenIssuer(new Dictionary<string, string> { [User] = Password });
        using var registry = RegistryServer.Start(issuer.RegistryAuthSection(folder.Combine("issuer.pem"), realm: $"http://{TokenHost}:{tokens.Port}/token"));
        var name = $"{Host}:{registry.Port}";
        Kit.LogIn(name, User, Password);
        Kit.Environment["MODULUS_INSECURE_REGISTRIES"] = name;
        var reference = RegistryTestKit.Reference(name, "secure/app", "v1");

        var e = await RegistryTestKit.FailsWith(Errors.InsecureTokenRealm,
            () => RegistryImageSource.PullAsync(reference, Platform.LinuxAmd64, Kit.NewStore(), Options));

        e.Message.ShouldContain($"http://{TokenHost}:{tokens.Port}/token");
        e.ToString().ShouldNotContain(Password);
        tokens.Connections.ShouldBe(0, "nothing at all reached the token service");

        // The same pull with the token service listed too sends the credentials: the refusal above is what kept them.
        Kit.Environment["MODULUS_INSECURE_REGISTRIES"] = $"{name},{TokenHost}:{tokens.Port}";
        await RegistryTestKit.FailsWith(Errors.RegistryCredentialsRejected,
            () => RegistryImageSource.PullAsync(reference, Platform.LinuxAmd64, Kit.NewStore(), Options));
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        tokens.Heads.ShouldContain(h => h.Contains("Authorization: " + basic, StringComparison.Ordinal), string.Join("\n", tokens.Heads));
    }
}
