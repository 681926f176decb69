using Modulus.Diagnostics;
using Modulus.Oci;

namespace Modulus.Tests.Oci;

/// <summary>Repository names and tags are checked once, when they are made.</summary>
public class ImageNameTests
{
    [TestCase("sample", true)]
    [TestCase("team/app-1.x", true)]
    [TestCase("Team/App", false)]
    [TestCase("app:latest", false)]
    [TestCase("/app", false)]
    [TestCase("", false)]
    public void Repository_names_follow_the_distribution_spec(string name, bool valid)
    {
        if (valid) ImageRepository.Parse(name).Value.ShouldBe(name);
        else Should.Throw<ModulusException>(() => ImageRepository.Parse(name)).Code.ShouldBe("MOD5010");
    }

    [Test]
    public void A_repository_longer_than_255_characters_is_refused() =>
        Should.Throw<ModulusException>(() => ImageRepository.Parse(new string('a', 256))).Code.ShouldBe("MOD5010");

    [TestCase("latest", true)]
    [TestCase("1.0.0-rc_1", true)]
    [TestCase(".hidden", false)]
    [TestCase("-dash", false)]
    [TestCase("a/b", false)]
    public void Tags_are_checked(string tag, bool valid)
    {
        if (valid) ImageTag.Parse(tag).Value.ShouldBe(tag);
        else Should.Throw<ModulusException>(() => ImageTag.Parse(tag)).Code.ShouldBe("MOD5011");
    }

    [Test]
    public void A_tag_made_from_a_literal_is_checked_too() =>
        Should.Throw<ModulusException>(() => { ImageTag tag = "-nope"; }).Code.ShouldBe("MOD5011");

    [TestCase("v1", null, "v1")]
    [TestCase("example.com/app:v2", "example.com/app", "v2")]
    [TestCase("localhost:5000/app:v3", "localhost:5000/app", "v3")]
    public void A_tagged_name_splits_at_the_tags_colon(string text, string? name, string tag)
    {
        var parsed = TaggedName.Parse(text);

        parsed.Name.ShouldBe(name);
        parsed.Tag.Value.ShouldBe(tag);
        parsed.ToString().ShouldBe(text);
    }

    [Test]
    public void A_tagged_name_without_a_tag_after_a_port_is_refused() =>
        Should.Throw<ModulusException>(() => TaggedName.Parse("localhost:5000/app")).Code.ShouldBe("MOD5011");

    [TestCase("registry.example", "app", "registry.example/app:latest")]
    [TestCase("docker.io", "app", "docker.io/library/app:latest")]
    [TestCase("docker.io", "team/app", "docker.io/team/app:latest")]
    public void A_push_target_is_what_parsing_registry_slash_repository_gives(string registry, string repository, string expected)
    {
        ImageReference.Of(registry, ImageRepository.Parse(repository)).ShouldBe(ImageReference.Parse($"{registry}/{repository}"));
        ImageReference.Of(registry, ImageRepository.Parse(repository)).ToString().ShouldBe(expected);
    }
}
