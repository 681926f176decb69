using Modulus.Diagnostics;
using Modulus.Layers;

namespace Modulus.Contract;

/// <summary>Where a build image's <c>build</c> comes from: a program the project supplies, or the generic one.</summary>
public abstract record BuildSpec
{
    private BuildSpec()
    {
    }

    /// <summary>A build program from the project, written to the image as it is with mode 0755.</summary>
    public sealed record Script(FileContent Content) : BuildSpec;

    /// <summary>
    /// The base build image's build: it runs the source's own executable <c>build</c> in the input
    /// folder, else prints one ERROR line and exits non-zero. Language images replace it.
    /// </summary>
    public sealed record SourceBuild : BuildSpec;

    public static BuildSpec Generic { get; } = new SourceBuild();

    public static BuildSpec FromScript(string hostPath) =>
        File.Exists(hostPath)
            ? new Script(FileContent.FromFile(hostPath))
            : throw new ModulusException(Errors.BuildScriptMissing, hostPath);
}
