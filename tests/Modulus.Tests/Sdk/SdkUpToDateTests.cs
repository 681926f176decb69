namespace Modulus.Tests.Sdk;

/// <summary>
/// A publish whose inputs are those of the last one is up to date from the memo it left
/// (docs/sdk.md, "Up to date"), and every change a user makes still reaches the image: a
/// property, an item's metadata, a deleted output. A publish that warns warns every time.
/// </summary>
[NonParallelizable]
public class SdkUpToDateTests
{
    private const string Project = """
        <Project Sdk="Modulus.Sdk">
          <PropertyGroup>
            <ModulusImageKind>plain</ModulusImageKind>
            <ContainerRepository>tests/memo</ContainerRepository>
            <ContainerWorkingDirectory>/srv</ContainerWorkingDirectory>
            <HelloMode Condition="'$(HelloMode)' == ''">0644</HelloMode>
          </PropertyGroup>
          <ItemGroup>
            <ModulusFile Include="hello.txt" Destination="/srv/" Mode="$(HelloMode)" />
            <ModulusFile Include="/etc/motd" Content="inline text" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>The line a publish taken from the memo writes to the detailed log.</summary>
    private const string FromMemo = "Nothing the image depends on changed since its last publish";

    private static SdkWorkspace Workspace => SdkPackage.Workspace;

    private static (SampleProject Sample, BuildResult First) Published(string project = Project)
    {
        var sample = Workspace.NewProject(project);
        sample.WriteFile("hello.txt", "hello\n");
        var first = sample.Publish();
        first.ExitCode.ShouldBe(0, first.ToString());
        first.Log.ShouldNotContain(FromMemo, Case.Sensitive, first.ToString());
        return (sample, first);
    }

    [Test]
    public void A_second_publish_with_the_same_inputs_is_up_to_date_from_the_memo_and_returns_the_same_outputs()
    {
        var (sample, first) = Published();
        var archiveWritten = File.GetLastWriteTimeUtc(sample.ArchivePath);

        var second = sample.Publish();

        second.ExitCode.ShouldBe(0, second.ToString());
        second.Log.ShouldContain(FromMemo, Case.Sensitive, second.ToString());
        second.Log.ShouldContain($"Image tests/memo:latest is up to date: {first.PropertyValue}", Case.Sensitive, second.ToString());
        second.PropertyValue.ShouldBe(first.PropertyValue, second.ToString());
        File.GetLastWriteTimeUtc(sample.ArchivePath).ShouldBe(archiveWritten, second.ToString());
    }

    [Test]
    public void A_changed_property_builds_a_new_image()
    {
        var (sample, first) = Published();

        var second = sample.Publish("ContainerWorkingDirectory=/other");

        second.ExitCode.ShouldBe(0, second.ToString());
        second.Log.ShouldNotContain(FromMemo, Case.Sensitive, second.ToString());
        second.PropertyValue.ShouldNotBe(first.PropertyValue, second.ToString());
        sample.ReadLayoutConfig().ShouldContain("\"WorkingDir\":\"/other\"", Case.Sensitive, second.ToString());
    }

    [Test]
    public void A_changed_item_metadata_builds_a_new_image()
    {
        var (sample, first) = Published();

        var second = sample.Publish("HelloMode=0600");

        second.ExitCode.ShouldBe(0, second.ToString());
        second.Log.ShouldNotContain(FromMemo, Case.Sensitive, second.ToString());
        second.PropertyValue.ShouldNotBe(first.PropertyValue, second.ToString());
        sample.ReadTopLayer().ShouldContain(e => e.Name == "srv/hello.txt" && e.Mode == Convert.ToInt32("600", 8), second.ToString());
    }

    [Test]
    public void A_changed_file_builds_a_new_image()
    {
        var (sample, first) = Published();

        sample.WriteFile("hello.txt", "hello, changed\n");
        var second = sample.Publish();

        second.ExitCode.ShouldBe(0, second.ToString());
        second.Log.ShouldNotContain(FromMemo, Case.Sensitive, second.ToString());
        second.PropertyValue.ShouldNotBe(first.PropertyValue, second.ToString());
        sample.ReadTopLayerFile("srv/hello.txt").ShouldBe("hello, changed\n");
    }

    [Test]
    public void A_deleted_output_is_written_again()
    {
        var (sample, first) = Published();

        File.Delete(sample.ArchivePath);
        var second = sample.Publish();

        second.ExitCode.ShouldBe(0, second.ToString());
        second.Log.ShouldNotContain(FromMemo, Case.Sensitive, second.ToString());
        File.Exists(sample.ArchivePath).ShouldBeTrue(second.ToString());
        second.PropertyValue.ShouldBe(first.PropertyValue, second.ToString());
    }

    [Test]
    public void A_publish_that_warns_warns_again_when_nothing_changed()
    {
        var (sample, _) = Published(Project.Replace("<ContainerRepository>tests/memo</ContainerRepository>",
            "<ContainerImageName>tests/memo</ContainerImageName>", StringComparison.Ordinal));

        var second = sample.Publish();

        second.ExitCode.ShouldBe(0, second.ToString());
        second.Output.ShouldContain("warning MOD5060", Case.Sensitive, second.ToString());
        second.Log.ShouldNotContain(FromMemo, Case.Sensitive, second.ToString());
    }
}
