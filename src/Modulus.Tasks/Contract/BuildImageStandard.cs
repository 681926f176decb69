using Modulus.Layers;

namespace Modulus.Contract;

/// <summary>
/// The values of the build-image standard (docs/contract.md, "Build images"): the platform mounts
/// the source at <see cref="InputDirectory"/>, runs <c>build</c> once and takes what it leaves in
/// <see cref="OutputDirectory"/>. The account, the volume, home and the temp folder are the run
/// standard's (<see cref="Common"/>), so a build and the run that follows it share one mop.
/// </summary>
public sealed record BuildImageStandard
{
    public static BuildImageStandard Default { get; } = new();

    /// <summary>The program the platform runs, looked up on PATH.</summary>
    public const string BuildName = "build";

    /// <summary>The mop account, the /mnt volume, HOME, the temp folder and my_init, as run images have them.</summary>
    public RunImageStandard Common { get; init; } = RunImageStandard.Default;

    /// <summary>Where the platform puts the fully extracted source (INPUT_DIR).</summary>
    public UnixPath InputDirectory { get; init; } = UnixPath.Parse("/mnt/input");

    /// <summary>Where build leaves its result (OUTPUT_DIR), which the platform mounts as a run image's /mnt/app.</summary>
    public UnixPath OutputDirectory { get; init; } = UnixPath.Parse("/mnt/output");

    /// <summary>The folder that holds <c>build</c>; it is put first on PATH.</summary>
    public UnixPath BuildFolder => Common.StartFolder;

    public UnixPath BuildProgram => BuildFolder.Combine(BuildName);

    /// <summary>
    /// The image's entrypoint: my_init reaps the orphans a build's processes leave (npm, compilers
    /// and test runners spawn many) and passes signals on, then exits with the command's status.
    /// </summary>
    public IReadOnlyList<string> Entrypoint => [Common.Init.Value, "--"];

    /// <summary>The image's Cmd, so that <c>docker run IMAGE</c> builds and <c>docker run IMAGE bash</c> looks around.</summary>
    public IReadOnlyList<string> Cmd => [BuildName];

    /// <summary>The folders the platform provides in the volume, for mop to read and write.</summary>
    public IReadOnlyList<UnixPath> VolumeFolders => [InputDirectory, OutputDirectory, Common.TempDirectory, Common.Home];

    /// <summary>The environment the image declares (PATH apart, which is merged with the base's).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment =>
    [
        new("INPUT_DIR", InputDirectory.Value),
        new("OUTPUT_DIR", OutputDirectory.Value),
        .. Common.Environment,
    ];
}
