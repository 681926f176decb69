using Modulus.Registry;

namespace Modulus.Tests.Registry;

public class BaseImageSpecTests
{
    [TestCase("docker://debian:bookworm", "docker.io/library/debian:bookworm")]
    [TestCase("debian:bookworm", "docker.io/library/debian:bookworm")]
    [TestCase("ghcr.io/org/base:1.2", "ghcr.io/org/base:1.2")]
    [TestCase("127.0.0.1:5000/team/base", "127.0.0.1:5000/team/base:latest")]
    public void Registry_references_are_recognised_with_or_without_the_prefix(string spec, string expected)
    {
        RegistryImageSource.TryParseSpec(spec, out var reference).ShouldBeTrue();
        reference.ToString().ShouldBe(expected);
    }

    [TestCase("scratch")]
    [TestCase("oci-layout:../base/layout:latest")]
    [TestCase("oci-archive:base.tar")]
    [TestCase("docker-archive:base.tar:team/base:v1")]
    [TestCase("docker://Not A Reference")]
    [TestCase("ftp://nowhere", Description = "a URL is neither a local form nor a reference")]
    [TestCase("oci-layot:../base", Description = "a misspelt local form with a path is no reference either")]
    public void Local_forms_and_invalid_references_are_not_registry_specs(string spec) =>
        RegistryImageSource.TryParseSpec(spec, out _).ShouldBeFalse();
}
