using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Tests.TestSupport;
using Org.BouncyCastle.Crypto.Generators;

namespace Modulus.Tests.Registry;

/// <summary>A registry behind htpasswd (bcrypt) Basic authentication.</summary>
[NonParallelizable]
public class RegistryBasicAuthTests : RegistryTest
{
    private const string User = "builder";
    private const string Password = "s3cret-basic-Pa55";

    protected override RegistryServer StartRegistry(TempDirectory folder)
    {
        var salt = new byte[16];
        Random.Shared.NextBytes(salt);
        var hash = OpenBsdBCrypt.Generate("2a", Password.ToCharArray(), salt, 4);
        var file = folder.WriteFile("htpasswd", $"{User}:{hash}\n");
        return RegistryServer.Start($"htpasswd:\n  realm: modulus-tests\n  path: {file}");
    }

    [TestCase("MODULUS_REGISTRY_USERNAME", "MODULUS_REGISTRY_PASSWORD")]
    [TestCase("DOTNET_CONTAINER_REGISTRY_UNAME", "DOTNET_CONTAINER_REGISTRY_PWORD")]
    public async Task A_push_uses_environment_credentials_and_a_pull_the_Docker_config(string userVariable, string passwordVariable)
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "basic-" + userVariable.ToLowerInvariant());
        var target = RegistryTestKit.Reference(Registry.Address, "private/app", userVariable.ToLowerInvariant());
        Kit.Environment[userVariable] = User;
        Kit.Environment[passwordVariable] = Password;

        await RegistryPusher.PushAsync(image, target, [], store, Kit.Options);
        Kit.LogIn(Registry.Address, User, Password);
        await ShouldPullBackAs(target, image);
    }

    [Test]
    public async Task Blobs_are_mounted_between_repositories_with_Basic_credentials()
    {
        Kit.LogIn(Registry.Address, User, Password);
        var (_, second) = await PushToTwoRepositories("basic-mount", "private/one", "private/two");

        second.Mounted.Count.ShouldBe(3);
    }

    [Test]
    public async Task A_wrong_password_names_its_source_and_never_the_password()
    {
        const string wrong = "not-the-Pa55word";
        Kit.Environment["MODULUS_REGISTRY_USERNAME"] = User;
        Kit.Environment["MODULUS_REGISTRY_PASSWORD"] = wrong;
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "basic-wrong", layerCount: 1);

        var e = await RegistryTestKit.FailsWith(Errors.RegistryCredentialsRejected,
            () => RegistryPusher.PushAsync(image, RegistryTestKit.Reference(Registry.Address, "private/wrong"), [], store, Kit.Options));

        e.Message.ShouldContain("MODULUS_REGISTRY_USERNAME");
        e.ToString().ShouldNotContain(wrong);
        e.ToString().ShouldNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{wrong}")));
        string.Join("\n", Kit.Log).ShouldNotContain(wrong);
    }

    [Test]
    public async Task No_credentials_at_all_says_how_to_log_in()
    {
        var e = await RegistryTestKit.FailsWith(Errors.RegistryAuthenticationRequired,
            () => Pull(RegistryTestKit.Reference(Registry.Address, "private/app")));

        e.Message.ShouldContain($"docker login {Registry.Address}");
    }

    [Test]
    public void Skopeo_reads_a_push_made_with_Basic_credentials()
    {
        var skopeo = Tools.Require("skopeo");
        Kit.LogIn(Registry.Address, User, Password);
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "basic-skopeo", layerCount: 1);
        var summary = RegistryPusher.PushAsync(image, RegistryTestKit.Reference(Registry.Address, "private/skopeo"), [], store, Kit.Options).GetAwaiter().GetResult();

        var inspect = Tools.RunChecked(skopeo, ["inspect", "--tls-verify=false", "--creds", $"{User}:{Password}", $"docker://{Registry.Address}/private/skopeo:latest"]);

        inspect.StdOut.ShouldContain(summary.ManifestDigest.ToString());
    }
}
