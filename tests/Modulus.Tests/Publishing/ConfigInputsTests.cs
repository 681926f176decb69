using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Plan;

namespace Modulus.Tests.Publishing;

public class ConfigInputsTests
{
    [TestCase("8080", null, "8080/tcp", Description = "tcp by default")]
    [TestCase("53", "UDP", "53/udp", Description = "Type in any case")]
    [TestCase("65535", "tcp", "65535/tcp", Description = "the highest port")]
    public void Ports_become_config_keys(string number, string? type, string expected) =>
        ConfigInputs.Port(number, type).ShouldBe(expected);

    [TestCase("0", null)]
    [TestCase("65536", null)]
    [TestCase("http", null)]
    [TestCase("80", "sctp")]
    public void Bad_ports_fail_with_MOD5007(string number, string? type) =>
        Should.Throw<ModulusException>(() => ConfigInputs.Port(number, type)).Code.ShouldBe("MOD5007");

    [TestCase("deployer:S3cret-pw@registry.example.com", "'(credentials removed)@registry.example.com'")]
    [TestCase("https://deployer:S3cret-pw@registry.example.com:5000", "'https://(credentials removed)@registry.example.com:5000'")]
    [TestCase("deployer:S3cret-pw@", "'(credentials removed)@'")]
    public void A_registry_with_credentials_fails_with_MOD1015_without_repeating_them(string registry, string shown)
    {
        var e = Should.Throw<ModulusException>(() => ConfigInputs.Registry(registry));

        e.Code.ShouldBe("MOD1015");
        e.Message.ShouldContain(shown);
        e.ToString().ShouldNotContain("S3cret-pw");
        e.ToString().ShouldNotContain("deployer");
    }

    [TestCase("PATH", true)]
    [TestCase("_under_score1", true)]
    [TestCase("1ABC", false)]
    [TestCase("A-B", false)]
    [TestCase("", false)]
    public void Environment_variable_names_are_letters_digits_and_underscores(string name, bool valid)
    {
        if (valid) ConfigInputs.EnvironmentVariableName(name).ShouldBe(name);
        else Should.Throw<ModulusException>(() => ConfigInputs.EnvironmentVariableName(name)).Code.ShouldBe("MOD5008");
    }

    [Test]
    public void SOURCE_DATE_EPOCH_sets_the_timestamp_and_unset_means_the_epoch()
    {
        ConfigInputs.Timestamp("1700000000").ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1700000000));
        ConfigInputs.Timestamp(null).ShouldBe(DateTimeOffset.UnixEpoch);
        Should.Throw<ModulusException>(() => ConfigInputs.Timestamp("yesterday")).Code.ShouldBe("MOD5009");
    }

    [Test]
    public void The_platform_comes_from_ModulusPlatform_then_the_runtime_identifier_then_linux_amd64()
    {
        ConfigInputs.Platform("linux/arm64/v8", "linux-x64").ShouldBe(new Platform("arm64", "linux", "v8"));
        ConfigInputs.Platform(null, "linux-arm64").ShouldBe(new Platform("arm64", "linux", "v8"));
        ConfigInputs.Platform(null, null).ShouldBe(Platform.LinuxAmd64);
        Should.Throw<ModulusException>(() => ConfigInputs.Platform(null, "win-x64")).Code.ShouldBe("MOD5016");
    }

    [Test]
    public void Booleans_are_true_or_false()
    {
        ConfigInputs.Boolean("True", "ModulusLoadIntoDaemon", false).ShouldBeTrue();
        ConfigInputs.Boolean("", "ModulusLoadIntoDaemon", false).ShouldBeFalse();
        Should.Throw<ModulusException>(() => ConfigInputs.Boolean("yes", "ModulusLoadIntoDaemon", false)).Code.ShouldBe("MOD5015");
    }
}
