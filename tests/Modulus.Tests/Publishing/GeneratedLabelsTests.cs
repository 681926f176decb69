using Modulus.Plan;
using Modulus.Sources;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Publishing;

/// <summary>The labels only a publish knows: when the image was made and which base it is built on.</summary>
public class GeneratedLabelsTests
{
    private static readonly GeneratedLabels All = new() { WithCreated = true, WithBaseName = true, WithBaseDigest = true };
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly BaseImageSource RegistryBase = BaseImageSource.Parse("debian:bookworm", "/nowhere");
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Test]
    public void A_registry_base_is_named_by_its_full_reference_and_the_digest_it_resolved_to()
    {
        var labels = All.For(RegistryBase, Created, Digest);

        labels[GeneratedLabels.BaseName].ShouldBe("docker.io/library/debian:bookworm");
        labels[GeneratedLabels.BaseDigest].ShouldBe(Digest);
        labels[GeneratedLabels.Created].ShouldBe("2023-11-14T22:13:20Z");
        labels[GeneratedLabels.ArtifactCreated].ShouldBe("2023-11-14T22:13:20Z");
    }

    [Test]
    public void A_base_read_from_a_path_is_not_named()
    {
        using var project = new TempDirectory();
        Directory.CreateDirectory(project.Combine("base", "oci-layout"));
        var labels = All.For(BaseImageSource.Parse("oci-layout:base/oci-layout:latest", project.Path), Created, null);

        labels.ShouldNotContainKey(GeneratedLabels.BaseName);
        labels.ShouldNotContainKey(GeneratedLabels.BaseDigest);
    }

    [Test]
    public void A_referenced_projects_image_is_named_by_its_repository_and_tag()
    {
        var labels = (All with { ReferencedBaseName = "modulus/run-base:latest", ReferencedBaseDigest = Digest })
            .For(BaseImageSource.Scratch, Created, null);

        labels[GeneratedLabels.BaseName].ShouldBe("modulus/run-base:latest");
        labels[GeneratedLabels.BaseDigest].ShouldBe(Digest);
    }

    [Test]
    public void Switched_off_labels_are_not_written()
    {
        var labels = GeneratedLabels.None.For(RegistryBase, Created, Digest);

        labels.ShouldBeEmpty();
    }

    [TestCase("org.opencontainers.image.title", true)]
    [TestCase("org.opencontainers.artifact.description", true)]
    [TestCase("com.example.team", false)]
    public void Only_labels_that_describe_one_image_are_dropped_from_a_base(string label, bool dropped) =>
        GeneratedLabels.DescribesOneImage(label).ShouldBe(dropped);
}
