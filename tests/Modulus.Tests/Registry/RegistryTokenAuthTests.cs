using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

/// <summary>A registry in token mode: a token issuer on 127.0.0.1 signs RS256 JWTs with a certificate made here.</summary>
[NonParallelizable]
public class RegistryTokenAuthTests
{
    private const string User = "deployer";
    private const string Password = "t0ken-issuer-Pa55";
    private const string Reader = "reader";
    private const string ReaderPassword = "read-0nly-Pa55";

    private TempDirectory _folder = null!;
    private TokenIssuer _issuer = null!;
    private RegistryServer _registry = null!;
    private RegistryTestKit _kit = null!;

    [OneTimeSetUp]
    public void StartRegistry()
    {
        _folder = new TempDirectory("token-auth");
        _issuer = new TokenIssuer(new Dictionary<string, string> { [User] = Password, [Reader] = ReaderPassword }, new HashSet<string> { Reader });
        _registry = RegistryServer.Start(_issuer.RegistryAuthSection(_folder.Combine("issuer.pem")));
    }

    [OneTimeTearDown]
    public void StopRegistry()
    {
        _registry.Dispose();
        _issuer.Dispose();
        _folder.Dispose();
    }

    [SetUp]
    public void NewKit() => _kit = new RegistryTestKit();

    [TearDown]
    public void DisposeKit() => _kit.Dispose();

    [Test]
    public async Task Push_and_pull_with_bearer_tokens_from_the_realm()
    {
        _kit.LogIn(_registry.Address, User, Password);
        var store = _kit.NewStore();
        var image = TestImages.Unique(store, "token-roundtrip");
        var target = RegistryTestKit.Reference(_registry.Address, "secure/app", "v1");
        var issuedBefore = _issuer.TokensIssued;

        await RegistryPusher.PushAsync(image, target, [], store, _kit.Options);
        var pulled = await RegistryImageSource.PullAsync(target, Platform.LinuxAmd64, _kit.NewStore(), _kit.Options);

        RegistryTestKit.ShouldBeTheSameImage(pulled, image);
        (_issuer.TokensIssued - issuedBefore).ShouldBeInRange(2, 4, "a token per scope set, cached across requests");
    }

    [Test]
    public async Task A_mount_asks_for_pull_access_to_the_source_repository()
    {
        _kit.LogIn(_registry.Address, User, Password);
        var store = _kit.NewStore();
        var image = TestImages.Unique(store, "token-mount");
        await RegistryPusher.PushAsync(image, RegistryTestKit.Reference(_registry.Address, "secure/source"), [], store, _kit.Options);

        var second = await RegistryPusher.PushAsync(image, RegistryTestKit.Reference(_registry.Address, "secure/target"), [], store, _kit.Options);

        second.Mounted.Count.ShouldBe(3);
        second.Uploaded.ShouldBeEmpty();
    }

    [Test]
    public async Task An_identity_token_from_the_Docker_config_is_exchanged_for_access()
    {
        var store = _kit.NewStore();
        var image = TestImages.Unique(store, "token-identity", layerCount: 1);
        var target = RegistryTestKit.Reference(_registry.Address, "secure/identity", "v1");
        _issuer.IdentityTokens["identity-token-for-deployer"] = User;
        Directory.CreateDirectory(Path.GetDirectoryName(_kit.DockerConfigPath)!);
        File.WriteAllText(_kit.DockerConfigPath, $$"""{"auths": {"{{_registry.Address}}": {"auth": "", "identitytoken": "identity-token-for-deployer"} } }""");

        await RegistryPusher.PushAsync(image, target, [], store, _kit.Options);

        RegistryTestKit.ShouldBeTheSameImage(await RegistryImageSource.PullAsync(target, Platform.LinuxAmd64, _kit.NewStore(), _kit.Options), image);
    }

    [Test]
    public async Task Wrong_credentials_are_refused_by_the_realm_with_no_secret_in_the_error()
    {
        const string wrong = "wr0ng-token-Pa55";
        _kit.LogIn(_registry.Address, User, wrong);

        var e = await RegistryTestKit.FailsWith(Errors.RegistryCredentialsRejected,
            () => RegistryImageSource.PullAsync(RegistryTestKit.Reference(_registry.Address, "secure/app"), Platform.LinuxAmd64, _kit.NewStore(), _kit.Options));

        e.Message.ShouldContain(_kit.DockerConfigPath);
        e.ToString().ShouldNotContain(wrong);
        string.Join("\n", _kit.Log).ShouldNotContain(wrong);
    }

    [Test]
    public async Task An_account_that_may_only_pull_is_denied_a_push_by_name()
    {
        _kit.Environment["MODULUS_REGISTRY_USERNAME"] = Reader;
        _kit.Environment["MODULUS_REGISTRY_PASSWORD"] = ReaderPassword;
        var store = _kit.NewStore();
        var image = TestImages.Unique(store, "token-denied", layerCount: 1);

        var e = await RegistryTestKit.FailsWith(Errors.RegistryAccessDenied,
            () => RegistryPusher.PushAsync(image, RegistryTestKit.Reference(_registry.Address, "secure/denied"), [], store, _kit.Options));

        e.Message.ShouldContain("denied push access to 'secure/denied'");
        e.Message.ShouldContain("MODULUS_REGISTRY_USERNAME");
    }

    [Test]
    public async Task An_anonymous_token_without_access_asks_for_credentials()
    {
        await RegistryTestKit.FailsWith(Errors.RegistryAuthenticationRequired,
            () => RegistryImageSource.PullAsync(RegistryTestKit.Reference(_registry.Address, "secure/app"), Platform.LinuxAmd64, _kit.NewStore(), _kit.Options));
    }

    [Test]
    public async Task Modulus_pulls_what_skopeo_pushed_through_the_token_flow()
    {
        var skopeo = Tools.Require("skopeo");
        var store = _kit.NewStore();
        var image = TestImages.Unique(store, "token-skopeo");
        using var layout = new TempDirectory("layout");
        LayoutForSkopeo.Write(layout.Path, "single", image);
        Tools.RunChecked(skopeo, ["copy", "--dest-tls-verify=false", "--dest-creds", $"{User}:{Password}", $"oci:{layout.Path}:single", $"docker://{_registry.Address}/secure/skopeo:v1"]);
        _kit.LogIn(_registry.Address, User, Password);

        var pulled = await RegistryImageSource.PullAsync(RegistryTestKit.Reference(_registry.Address, "secure/skopeo", "v1"), Platform.LinuxAmd64, _kit.NewStore(), _kit.Options);

        RegistryTestKit.ShouldBeTheSameImage(pulled, image);
    }
}
