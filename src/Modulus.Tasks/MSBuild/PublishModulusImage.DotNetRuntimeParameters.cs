using Microsoft.Build.Framework;

namespace Modulus.MSBuild;

// .NET runtimes from NuGet runtime packs (docs/dotnet.md): mapped by DotNetRuntimeMapping.
public sealed partial class PublishModulusImage
{
    /// <summary>ModulusDotnetRuntime items: Include = Microsoft.NETCore.App or Microsoft.AspNetCore.App; metadata Version (exact).</summary>
    public ITaskItem[] DotnetRuntimes { get; set; } = [];

    /// <summary>The runtime identifier whose runtime packs Sdk.targets had restored (linux-x64 for linux/amd64).</summary>
    public string? DotnetRuntimeIdentifier { get; set; }

    /// <summary>NuGetPackageRoot: the folder restore downloaded the runtime packs into.</summary>
    public string? NuGetPackageRoot { get; set; }
}
