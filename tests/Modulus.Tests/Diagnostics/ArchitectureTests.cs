using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Diagnostics;

public class ArchitectureTests
{
    [Test]
    public void Only_the_MSBuild_folder_uses_MSBuild()
    {
        var source = RepoPaths.Combine("src", "Modulus.Tasks");
        var msbuildFolder = Path.Combine(source, "MSBuild") + Path.DirectorySeparatorChar;
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(msbuildFolder, StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadAllText(f).Contains("Microsoft.Build", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(source, f))
            .ToArray();

        offenders.ShouldBeEmpty("the image library must know nothing of MSBuild");
    }
}
