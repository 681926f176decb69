using Modulus.Diagnostics;
using Modulus.Sources;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sources;

public class BaseImageSpecTests
{
    [Test]
    public void Scratch_needs_no_path()
    {
        BaseImageSpec.Parse("scratch", "/nowhere").ShouldBe(BaseImageSpec.Scratch);
    }

    [TestCase("ubuntu:22.04", Description = "a registry reference is not a local place")]
    [TestCase("oci-layout:", Description = "no path")]
    [TestCase("tar:foo.tar", Description = "unknown kind")]
    public void Unknown_forms_are_MOD5001(string spec)
    {
        Should.Throw<ModulusException>(() => BaseImageSpec.Parse(spec, "/tmp")).Code.ShouldBe("MOD5001");
    }

    [Test]
    public void A_missing_path_is_MOD2201_naming_it()
    {
        using var temp = new TempDirectory();
        var error = Should.Throw<ModulusException>(() => BaseImageSpec.Parse("oci-layout:missing:v1", temp.Path));
        error.Code.ShouldBe("MOD2201");
        error.Message.ShouldContain(temp.Combine("missing:v1"));
    }

    [Test]
    public void Relative_paths_resolve_against_the_base_directory_and_the_tag_follows_the_last_colon()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("layout"));
        BaseImageSpec.Parse("oci-layout:layout:v1", temp.Path)
            .ShouldBe(new BaseImageSpec(BaseImageKind.OciLayout, temp.Combine("layout"), "v1"));
    }

    [Test]
    public void A_path_containing_a_colon_that_exists_wins_over_a_tag()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("a:b"));
        BaseImageSpec.Parse("oci-layout:a:b", temp.Path).ShouldBe(new BaseImageSpec(BaseImageKind.OciLayout, temp.Combine("a:b"), null));
    }

    [Test]
    public void A_docker_archive_reference_may_hold_a_registry_port()
    {
        using var temp = new TempDirectory();
        var tar = temp.WriteFile("images.tar", "");
        BaseImageSpec.Parse($"docker-archive:{tar}:localhost:5000/app:1.0", "/")
            .ShouldBe(new BaseImageSpec(BaseImageKind.DockerArchive, tar, "localhost:5000/app:1.0"));
    }
}
