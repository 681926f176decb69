using Modulus.Diagnostics;
using Modulus.Sources;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sources;

/// <summary>ModulusBaseImage is read once, into a registry reference or a local image found on disk.</summary>
public class BaseImageSourceTests
{
    [TestCase("docker://debian:bookworm", "docker.io/library/debian:bookworm")]
    [TestCase("debian:bookworm", "docker.io/library/debian:bookworm")]
    [TestCase("ghcr.io/org/base:1.2", "ghcr.io/org/base:1.2")]
    [TestCase("127.0.0.1:5000/team/base", "127.0.0.1:5000/team/base:latest")]
    public void Registry_references_are_recognised_with_or_without_the_prefix(string spec, string expected)
    {
        var source = BaseImageSource.Parse(spec, "/nowhere");

        source.Registry.ShouldNotBeNull().ToString().ShouldBe(expected);
        source.Local.ShouldBeNull();
        source.Text.ShouldBe(spec);
    }

    [TestCase("oci-layout:layout:latest", BaseImageKind.OciLayout)]
    [TestCase("oci-archive:base.tar", BaseImageKind.OciArchive)]
    [TestCase("docker-archive:base.tar:team/base:v1", BaseImageKind.DockerArchive)]
    public void Local_forms_are_found_on_disk_and_are_no_registry_images(string spec, BaseImageKind kind)
    {
        using var project = new TempDirectory();
        Directory.CreateDirectory(project.Combine("layout"));
        project.WriteFile("base.tar", "tar");

        var source = BaseImageSource.Parse(spec, project.Path);

        source.Registry.ShouldBeNull();
        source.Local.ShouldNotBeNull().Kind.ShouldBe(kind);
    }

    [Test]
    public void Scratch_is_local_and_needs_no_folder() =>
        BaseImageSource.Parse("scratch", "/nowhere").Local.ShouldBe(BaseImageSpec.Scratch);

    [TestCase("docker://Not A Reference")]
    [TestCase("ftp://nowhere", Description = "a URL is neither a local form nor a reference")]
    [TestCase("oci-layot:../base", Description = "a misspelt local form with a path is no reference either")]
    public void Neither_a_local_form_nor_a_reference_is_MOD5001(string spec) =>
        Should.Throw<ModulusException>(() => BaseImageSource.Parse(spec, "/nowhere")).Code.ShouldBe("MOD5001");

    [Test]
    public void A_local_image_that_is_not_there_is_MOD2201() =>
        Should.Throw<ModulusException>(() => BaseImageSource.Parse("oci-archive:missing.tar", "/nowhere")).Code.ShouldBe("MOD2201");
}
