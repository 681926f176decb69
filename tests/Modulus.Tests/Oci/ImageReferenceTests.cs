using Modulus.Diagnostics;
using Modulus.Oci;

namespace Modulus.Tests.Oci;

public class ImageReferenceTests
{
    private const string Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [TestCase("debian", "docker.io", "library/debian", "latest", null, TestName = "official image gets docker.io, library/ and latest")]
    [TestCase("debian:bookworm", "docker.io", "library/debian", "bookworm", null, TestName = "tag kept")]
    [TestCase("modulus/run-base:1.0", "docker.io", "modulus/run-base", "1.0", null, TestName = "user repository on Docker Hub")]
    [TestCase("index.docker.io/library/debian", "docker.io", "library/debian", "latest", null, TestName = "legacy Hub host normalized")]
    [TestCase("localhost:5000/app", "localhost:5000", "app", "latest", null, TestName = "registry with port, no library/")]
    [TestCase("localhost/app:v1", "localhost", "app", "v1", null, TestName = "localhost is a registry")]
    [TestCase("127.0.0.1:5000/team/app:v1", "127.0.0.1:5000", "team/app", "v1", null, TestName = "IP registry and nested repository")]
    [TestCase("ghcr.example/a/b/c", "ghcr.example", "a/b/c", "latest", null, TestName = "dotted first component is a registry")]
    [TestCase("debian@sha256:" + Hex, "docker.io", "library/debian", null, "sha256:" + Hex, TestName = "digest only: no implied tag")]
    [TestCase("debian:12@sha256:" + Hex, "docker.io", "library/debian", "12", "sha256:" + Hex, TestName = "tag and digest")]
    [TestCase("my_app__x-y.z", "docker.io", "library/my_app__x-y.z", "latest", null, TestName = "separators inside a component")]
    public void Parses_and_normalizes(string input, string registry, string repository, string? tag, string? digest)
    {
        var reference = ImageReference.Parse(input);

        reference.Registry.ShouldBe(registry);
        reference.Repository.ShouldBe(repository);
        reference.Tag.ShouldBe(tag);
        reference.Digest?.ToString().ShouldBe(digest);
    }

    [TestCase("", "empty", TestName = "empty")]
    [TestCase("Debian", "lower case", TestName = "upper-case repository")]
    [TestCase("debian:", "tag", TestName = "empty tag")]
    [TestCase("debian:-x", "tag", TestName = "tag starting with a dash")]
    [TestCase("debian@sha256:abc", "digest", TestName = "short digest")]
    [TestCase("a//b", "repository", TestName = "empty component")]
    [TestCase("a/-b", "repository", TestName = "component starting with a separator")]
    [TestCase("localhost:5000/", "no repository", TestName = "registry without repository")]
    public void Rejects_invalid_references_with_MOD2001(string input, string reasonFragment)
    {
        var error = Should.Throw<ModulusException>(() => ImageReference.Parse(input));

        error.Code.ShouldBe("MOD2001");
        error.Message.ShouldContain($"'{input}'");
        error.Message.ShouldContain(reasonFragment);
    }

    [Test]
    public void Round_trips_through_its_string_form()
    {
        var reference = ImageReference.Parse("localhost:5000/team/app:v1@sha256:" + Hex);

        ImageReference.Parse(reference.ToString()).ShouldBe(reference);
        reference.Reference.ShouldBe("sha256:" + Hex);
    }
}
