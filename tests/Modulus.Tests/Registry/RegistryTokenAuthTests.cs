using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

/// <summary>A registry in token mode: a token issuer on 127.0.0.1 signs RS256 JWTs with a certificate made here.</summary>
[NonParallelizable]
public class RegistryTokenAuthTests : RegistryTest
{
    private const string User = "deployer";
    private const string Password = "t0ken-issuer-Pa55";
    private const string Reader = "reader";
    private const string ReaderPassword = "read-0nly-Pa55";

    private TokenIssuer _issuer = null!;

    protected override RegistryServer StartRegistry(TempDirectory folder)
    {
        _issuer = new TokenIssuer(new Dictionary<string, string> { [User] = Password, [Reader] = ReaderPassword }, new HashSet<string> { Reader });
        return RegistryServer.Start(_issuer.RegistryAuthSection(folder.Combine("issuer.pem")));
    }

    protected override void StopServices() => _issuer.Dispose();

    [Test]
    public async Task Push_and_pull_with_bearer_tokens_from_the_realm()
    {
        Kit.LogIn(Registry.Address, User, Password);
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "token-roundtrip");
        var target = RegistryTestKit.Reference(Registry.Address, "secure/app", "v1");
        var issuedBefore = _issuer.TokensIssued;

        await RegistryPusher.PushAsync(image, target, [], store, Kit.Options);
        await ShouldPullBackAs(target, image);
        (_issuer.TokensIssued - issuedBefore).ShouldBeInRange(2, 4, "a token per scope set, cached across requests");
    }

    [Test]
    public async Task A_mount_asks_for_pull_access_to_the_source_repository()
    {
        Kit.LogIn(Registry.Address, User, Password);
        var (_, second) = await PushToTwoRepositories("token-mount", "secure/source", "secure/target");

        second.Mounted.Count.ShouldBe(3);
        second.Uploaded.ShouldBeEmpty();
    }

    [Test]
    public async Task An_identity_token_from_the_Docker_config_is_exchanged_for_access()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "token-identity", layerCount: 1);
        var target = RegistryTestKit.Reference(Registry.Address, "secure/identity", "v1");
        _issuer.IdentityTokens["identity-token-for-deployer"] = User;
        Directory.CreateDirectory(Path.GetDirectoryName(Kit.DockerConfigPath)!);
        File.WriteAllText(Kit.DockerConfigPath, $$"""{"auths": {"{{Registry.Address}}": {"auth": "", "identitytoken": "identity-token-for-deployer"} } }""");

        await RegistryPusher.PushAsync(image, target, [], store, Kit.Options);

        await ShouldPullBackAs(target, image);
    }

    [Test]
    public async Task Wrong_credentials_are_refused_by_the_realm_with_no_secret_in_the_error()
    {
        const string wrong = "wr0ng-token-Pa55";
        Kit.LogIn(Registry.Address, User, wrong);

        var e = await RegistryTestKit.FailsWith(Errors.RegistryCredentialsRejected,
            () => Pull(RegistryTestKit.Reference(Registry.Address, "secure/app")));

        e.Message.ShouldContain(Kit.DockerConfigPath);
        e.ToString().ShouldNotContain(wrong);
        string.Join("\n", Kit.Log).ShouldNotContain(wrong);
    }

    [Test]
    public async Task An_account_that_may_only_pull_is_denied_a_push_by_name()
    {
        Kit.Environment["MODULUS_REGISTRY_USERNAME"] = Reader;
        Kit.Environment["MODULUS_REGISTRY_PASSWORD"] = ReaderPassword;
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "token-denied", layerCount: 1);

        var e = await RegistryTestKit.FailsWith(Errors.RegistryAccessDenied,
            () => RegistryPusher.PushAsync(image, RegistryTestKit.Reference(Registry.Address, "secure/denied"), [], store, Kit.Options));

        e.Message.ShouldContain("denied push access to 'secure/denied'");
        e.Message.ShouldContain("MODULUS_REGISTRY_USERNAME");
    }

    [Test]
    public async Task An_anonymous_token_without_access_asks_for_credentials()
    {
        await RegistryTestKit.FailsWith(Errors.RegistryAuthenticationRequired,
            () => Pull(RegistryTestKit.Reference(Registry.Address, "secure/app")));
    }

    [Test]
    public async Task Modulus_pulls_what_skopeo_pushed_through_the_token_flow()
    {
        var image = PushedBySkopeo("token-skopeo", "secure/skopeo", "--dest-creds", $"{User}:{Password}");
        Kit.LogIn(Registry.Address, User, Password);

        await ShouldPullBackAs(RegistryTestKit.Reference(Registry.Address, "secure/skopeo", "v1"), image);
    }
}
