using System.Text.Json;

namespace Modulus.Tests.Sdk;

/// <summary>
/// A ProjectReference to another Modulus.Sdk project makes that project's image the base: B,
/// referencing A, is A's layers with B's on top, and follows A's changes.
/// </summary>
[NonParallelizable]
public class SdkProjectReferenceTests
{
    private static SdkWorkspace Workspace => SdkPackage.Workspace;

    private static SampleProject NewBase(string name = "a")
    {
        var project = Workspace.NewProject("""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup>
                <ContainerRepository>tests/a</ContainerRepository>
                <ModulusImageKind>plain</ModulusImageKind>
                <ContainerImageTags>1.0;latest</ContainerImageTags>
              </PropertyGroup>
              <ItemGroup>
                <ModulusFile Include="a.txt" Destination="/srv/" />
              </ItemGroup>
            </Project>
            """, name);
        project.WriteFile("a.txt", "from a\n");
        return project;
    }

    private static SampleProject NewReferencing(SampleProject baseProject, string extra = "")
    {
        var project = Workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup>
                <ContainerRepository>tests/b</ContainerRepository>
                <ModulusImageKind>plain</ModulusImageKind>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{baseProject.ProjectPath}" />
                <ModulusFile Include="b.txt" Destination="/srv/" />
              </ItemGroup>
              {extra}
            </Project>
            """, "b");
        project.WriteFile("b.txt", "from b\n");
        return project;
    }

    [Test]
    public void The_referenced_projects_image_is_the_base_and_its_changes_reach_the_referencing_image()
    {
        var a = NewBase();
        var b = NewReferencing(a);

        var first = b.Publish();

        first.ExitCode.ShouldBe(0, first.ToString());
        File.Exists(a.ReportPath).ShouldBeTrue($"A is published into its own folder\n{first}");
        var aLayers = LayerDigests(a);
        var bLayers = LayerDigests(b);
        bLayers.Count.ShouldBe(aLayers.Count + 1, first.ToString());
        bLayers.Take(aLayers.Count).ShouldBe(aLayers, first.ToString());
        TopLayerNames(b).ShouldContain("srv/b.txt", first.ToString());
        TopLayerNames(b).ShouldNotContain("srv/a.txt", first.ToString());

        var unchanged = b.Publish();
        unchanged.ExitCode.ShouldBe(0, unchanged.ToString());
        unchanged.PropertyValue.ShouldBe(first.PropertyValue, unchanged.ToString());
        unchanged.Log.ShouldNotContain("Writing a layer", Case.Sensitive, unchanged.ToString());

        a.WriteFile("a.txt", "from a, changed\n");
        var changed = b.Publish();

        changed.ExitCode.ShouldBe(0, changed.ToString());
        changed.PropertyValue.ShouldNotBe(first.PropertyValue, changed.ToString());
        LayerDigests(b)[0].ShouldNotBe(bLayers[0], changed.ToString());
    }

    [Test]
    public void Publishing_a_referencing_project_evaluates_the_referenced_project_once_for_its_build_and_publish()
    {
        var a = NewBase();
        var b = NewReferencing(a);

        // `-o` is a global property the referenced image must not see: before, the reference's
        // build kept it and its publish did not, which made two instances of A to evaluate and build.
        var result = b.PublishWith("-o", Path.Combine(b.Folder, "out"), "-clp:PerformanceSummary");

        result.ExitCode.ShouldBe(0, result.ToString());
        var summary = result.Output[result.Output.IndexOf("Project Evaluation Performance Summary:", StringComparison.Ordinal)..];
        summary = summary[..summary.IndexOf("Project Performance Summary:", StringComparison.Ordinal)];
        // One evaluation for restore and one for the build and publish.
        var evaluations = System.Text.RegularExpressions.Regex.Match(summary, $@"{System.Text.RegularExpressions.Regex.Escape(a.ProjectPath)}\s+(\d+) calls");
        evaluations.Success.ShouldBeTrue(result.ToString());
        evaluations.Groups[1].Value.ShouldBe("2", result.ToString());
        File.Exists(a.ReportPath).ShouldBeTrue(result.ToString());
    }

    [Test]
    public void Building_a_referencing_project_builds_no_assembly_and_publishes_nothing()
    {
        var a = NewBase();
        var b = NewReferencing(a);

        var result = b.Build();

        result.ExitCode.ShouldBe(0, result.ToString());
        Directory.EnumerateFiles(b.Folder, "*.dll", SearchOption.AllDirectories).ShouldBeEmpty(result.ToString());
        File.Exists(a.ReportPath).ShouldBeFalse(result.ToString());
    }

    [Test]
    public void A_reference_and_an_explicit_base_image_fail_with_MOD5031_at_the_property()
    {
        var a = NewBase();
        var b = NewReferencing(a, "<PropertyGroup><ModulusBaseImage>scratch</ModulusBaseImage></PropertyGroup>");

        var result = b.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"{b.ProjectPath}({b.LineOf("<ModulusBaseImage>")}", Case.Sensitive, result.ToString());
        result.Output.ShouldContain("error MOD5031:", Case.Sensitive, result.ToString());
    }

    [Test]
    public void Two_referenced_images_fail_with_MOD5030_naming_both()
    {
        var a = NewBase();
        var other = NewBase("other");
        var b = NewReferencing(a, $"""<ItemGroup><ProjectReference Include="{other.ProjectPath}" /></ItemGroup>""");

        var result = b.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain("error MOD5030:", Case.Sensitive, result.ToString());
        result.Output.ShouldContain(a.ProjectPath, Case.Sensitive, result.ToString());
        result.Output.ShouldContain(other.ProjectPath, Case.Sensitive, result.ToString());
    }

    private static JsonDocument Manifest(SampleProject project)
    {
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(project.LayoutPath, "index.json")));
        var digest = index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(project.LayoutPath, "blobs", "sha256", digest["sha256:".Length..])));
    }

    private static List<string> LayerDigests(SampleProject project)
    {
        using var manifest = Manifest(project);
        return manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();
    }

    private static IEnumerable<string> TopLayerNames(SampleProject project) => project.ReadTopLayer().Select(e => e.Name);
}
