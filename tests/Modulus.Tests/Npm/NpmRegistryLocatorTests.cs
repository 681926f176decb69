using Modulus.Diagnostics;
using Modulus.Npm;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Npm;

public class NpmRegistryLocatorTests
{
    private TempDirectory _temp = null!;
    private Dictionary<string, string> _environment = null!;
    private string? _npmAnswer;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory("npmrc");
        _environment = new Dictionary<string, string>();
        _npmAnswer = null;
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private NpmRegistryLocator.Sources Sources() => new(
        name => _environment.GetValueOrDefault(name),
        [_temp.Combine("user", ".npmrc"), _temp.Combine("prefix", "etc", "npmrc"), _temp.Combine("etc", "npmrc")],
        () => _npmAnswer);

    private NpmRegistry Locate(string? property = null) => NpmRegistryLocator.Locate(property, Sources());

    private void SetEverything()
    {
        _npmAnswer = "http://127.0.0.1:7/from-npm/";
        _temp.WriteFile("etc/npmrc", "registry=http://127.0.0.1:6/from-etc/\n");
        _temp.WriteFile("prefix/etc/npmrc", "registry = http://127.0.0.1:5/from-prefix/\n");
        _temp.WriteFile("user/.npmrc", "; comment\n@team:registry=http://127.0.0.1:9/scoped/\nregistry=http://127.0.0.1:4/from-user\n");
        _environment["npm_config_registry"] = "http://127.0.0.1:3/from-npm-config/";
        _environment["MODULUS_NPM_REGISTRY"] = "http://127.0.0.1:2/from-modulus/";
    }

    [Test]
    public void The_property_comes_first()
    {
        SetEverything();
        var registry = Locate("http://127.0.0.1:1/from-property/");
        registry.Url.ToString().ShouldBe("http://127.0.0.1:1/from-property/");
        registry.Source.ShouldContain("ModulusNpmRegistry");
    }

    [Test]
    public void Then_each_source_in_order_and_scoped_registries_do_not_count()
    {
        SetEverything();
        Locate().Url.ToString().ShouldBe("http://127.0.0.1:2/from-modulus/");
        _environment.Remove("MODULUS_NPM_REGISTRY");
        Locate().Url.ToString().ShouldBe("http://127.0.0.1:3/from-npm-config/");
        _environment.Clear();
        Locate().ShouldSatisfyAllConditions(
            r => r.Url.ToString().ShouldBe("http://127.0.0.1:4/from-user/", "a trailing slash is added"),
            r => r.Source.ShouldBe(_temp.Combine("user", ".npmrc")));
        File.Delete(_temp.Combine("user", ".npmrc"));
        Locate().Url.ToString().ShouldBe("http://127.0.0.1:5/from-prefix/");
        File.Delete(_temp.Combine("prefix", "etc", "npmrc"));
        Locate().Url.ToString().ShouldBe("http://127.0.0.1:6/from-etc/");
        File.Delete(_temp.Combine("etc", "npmrc"));
        Locate().Url.ToString().ShouldBe("http://127.0.0.1:7/from-npm/");
    }

    [Test]
    public void No_registry_anywhere_says_how_to_set_one()
    {
        var e = Should.Throw<ModulusException>(() => Locate());
        e.Code.ShouldBe("MOD3101");
        e.Message.ShouldContain("ModulusNpmRegistry");
        e.Message.ShouldContain(".npmrc");
    }

    [Test]
    public void A_registry_that_is_not_a_url_names_its_source()
    {
        _temp.WriteFile("user/.npmrc", "registry=not a url\n");
        var e = Should.Throw<ModulusException>(() => Locate());
        e.Code.ShouldBe("MOD3102");
        e.Message.ShouldContain("not a url");
        e.Message.ShouldContain(_temp.Combine("user", ".npmrc"));
    }

    [Test]
    public void Scoped_package_metadata_urls_encode_the_slash()
    {
        var registry = Locate("http://127.0.0.1:1/path/");
        registry.PackumentUrl("@scope/name").ToString().ShouldBe("http://127.0.0.1:1/path/@scope%2fname");
        registry.PackumentUrl("is-number").ToString().ShouldBe("http://127.0.0.1:1/path/is-number");
    }
}
