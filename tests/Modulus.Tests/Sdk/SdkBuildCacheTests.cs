namespace Modulus.Tests.Sdk;

/// <summary>ModulusCacheRepository as a project sets it and as CI's environment does (docs/sdk.md, docs/registry.md "A registry as the build cache").</summary>
[NonParallelizable]
public class SdkBuildCacheTests
{
    private static SdkWorkspace Workspace => SdkPackage.Workspace;

    [Test]
    public void MODULUS_CACHE_REPOSITORY_names_the_cache_unless_the_project_does_and_a_bad_one_is_MOD2320()
    {
        var plain = Workspace.NewProject("""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind><ContainerRepository>tests/build-cache</ContainerRepository></PropertyGroup>
              <ItemGroup><ModulusFile Include="/srv/hello.txt" Content="hello" /></ItemGroup>
            </Project>
            """);
        var own = Workspace.NewProject("""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusCacheRepository>registry.example/team/own-cache</ModulusCacheRepository></PropertyGroup>
            </Project>
            """);
        var environment = new Dictionary<string, string?> { ["MODULUS_CACHE_REPOSITORY"] = "registry.example/team/ci-cache" };

        var fromEnvironment = plain.Evaluate("ModulusCacheRepository", environment);
        var fromProject = own.Evaluate("ModulusCacheRepository", environment);
        var bad = plain.Publish("ModulusCacheRepository=registry.example/team/cache:v1");

        fromEnvironment.PropertyValue.ShouldBe("registry.example/team/ci-cache", fromEnvironment.ToString());
        fromProject.PropertyValue.ShouldBe("registry.example/team/own-cache", fromProject.ToString());
        bad.ExitCode.ShouldNotBe(0);
        bad.Output.ShouldContain("MOD2320", customMessage: bad.ToString());
        bad.Output.ShouldContain("it has a tag or digest", customMessage: bad.ToString());
    }
}
