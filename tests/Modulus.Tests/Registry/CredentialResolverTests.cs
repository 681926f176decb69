using System.Text;
using Modulus.Diagnostics;
using Modulus.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class CredentialResolverTests
{
    private TempDirectory _folder = null!;
    private Dictionary<string, string> _environment = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TempDirectory("credentials");
        _environment = new Dictionary<string, string> { ["PATH"] = _folder.Path };
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    private RegistryOptions Options => new()
    {
        Environment = name => _environment.GetValueOrDefault(name),
        DockerConfigPath = _folder.Combine("config.json"),
    };

    private void Config(string json) => _folder.WriteFile("config.json", json);

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [TestCase("registry.example.com", Description = "a bare host key")]
    [TestCase("https://registry.example.com", Description = "a URL key, as docker login writes for some registries")]
    [TestCase("http://registry.example.com/v2/", Description = "a URL key with a path")]
    public void An_auths_entry_matches_however_its_key_is_written(string key)
    {
        Config($$"""{"auths": {"{{key}}": {"auth": "{{Base64("alice:pw:with:colons")}}"} } }""");

        var credential = new CredentialResolver(Options).Resolve("registry.example.com", forPush: false);

        credential.ShouldNotBeNull();
        credential.Username.ShouldBe("alice");
        credential.Secret.ShouldBe("pw:with:colons");
        credential.ToString().ShouldBe(_folder.Combine("config.json"), "only the source is ever printed");
    }

    [Test]
    public void Docker_Hub_credentials_are_found_under_its_legacy_key()
    {
        Config("""{"auths": {"https://index.docker.io/v1/": {"username": "bob", "password": "hub-pw"}}}""");

        new CredentialResolver(Options).Resolve("docker.io", forPush: false)!.Username.ShouldBe("bob");
    }

    [Test]
    public void An_identity_token_is_kept_apart_from_a_password()
    {
        Config("""{"auths": {"registry.example.com": {"auth": "", "identitytoken": "refresh-me"} } }""");

        var credential = new CredentialResolver(Options).Resolve("registry.example.com", forPush: false)!;

        credential.IsIdentityToken.ShouldBeTrue();
        credential.Secret.ShouldBe("refresh-me");
    }

    [Test]
    public void Environment_credentials_serve_pushes_only_and_come_first()
    {
        Config($$"""{"auths": {"registry.example.com": {"auth": "{{Base64("config-user:config-pw")}}"} } }""");
        _environment["MODULUS_REGISTRY_USERNAME"] = "env-user";
        _environment["MODULUS_REGISTRY_PASSWORD"] = "env-pw";
        var resolver = new CredentialResolver(Options);

        resolver.Resolve("registry.example.com", forPush: true)!.Username.ShouldBe("env-user");
        resolver.Resolve("registry.example.com", forPush: false)!.Username.ShouldBe("config-user");
        resolver.Resolve("elsewhere.example.com", forPush: false).ShouldBeNull("a pull never gets the push password");
    }

    [Test]
    public void A_credential_helper_named_for_the_registry_is_asked_with_the_server_URL()
    {
        WriteHelper("modtest", """
            read server
            if [ "$server" = "registry.example.com" ]; then echo '{"ServerURL":"registry.example.com","Username":"<token>","Secret":"helper-token"}'; exit 0; fi
            echo "credentials not found in native keychain"; exit 1
            """);
        Config("""{"credHelpers": {"registry.example.com": "modtest"}, "credsStore": "modtest"}""");
        var resolver = new CredentialResolver(Options);

        var credential = resolver.Resolve("registry.example.com", forPush: false)!;
        credential.IsIdentityToken.ShouldBeTrue();
        credential.Secret.ShouldBe("helper-token");
        credential.Source.ShouldBe("docker-credential-modtest");
        resolver.Resolve("other.example.com", forPush: false).ShouldBeNull("'credentials not found' means anonymous");
    }

    [Test]
    public void A_failing_helper_gives_its_error_and_a_broken_config_says_which_file()
    {
        WriteHelper("broken", "echo 'keychain locked' >&2; exit 3");
        Config("""{"credsStore": "broken"}""");
        var e = Should.Throw<ModulusException>(() => new CredentialResolver(Options).Resolve("registry.example.com", forPush: false));
        e.Code.ShouldBe(Errors.CredentialHelperFailed.Code);
        e.Message.ShouldContain("keychain locked");

        Config("""{"credHelpers": {"registry.example.com": "absent"}}""");
        Should.Throw<ModulusException>(() => new CredentialResolver(Options).Resolve("registry.example.com", forPush: false))
            .Message.ShouldContain("docker-credential-absent is not on PATH");

        Config("{not json");
        Should.Throw<ModulusException>(() => new CredentialResolver(Options).Resolve("registry.example.com", forPush: false))
            .Code.ShouldBe(Errors.DockerConfigInvalid.Code);
    }

    /// <summary>A helper script in the folder that the options' PATH names.</summary>
    private void WriteHelper(string name, string body)
    {
        var path = _folder.WriteFile("docker-credential-" + name, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
