using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Contract;

/// <summary>
/// Makes a base image a build image: the layer that adds the mop account, <c>build</c> and
/// my_init, and the config changes that go with it. No supervisord: the platform runs build once
/// and takes the output when it exits.
/// </summary>
public static class BuildContractLayer
{
    /// <summary>
    /// The entries of the build contract layer, sorted by path, made as <see cref="ContractLayer.Generate"/>
    /// makes a run image's: account files merged into the base's, files under a linked folder
    /// written where the link leads, and only the folders the base lacks declared.
    /// </summary>
    public static IReadOnlyList<LayerEntry> Generate(BuildImageStandard standard, BuildSpec build, ImageFileSystem baseView)
    {
        StandardCheck.Check(standard);
        var common = standard.Common;
        var files = new List<LayerEntry>();
        files.AddRange(AccountLayer.Entries(common, baseView));
        files.Add(new FileEntry(standard.BuildProgram, BuildContent(standard, build), Mode: LayerEntry.DefaultExecutableMode));
        files.Add(ContractLayer.Text(common.Init, ScriptTemplates.MyInit(common), LayerEntry.DefaultExecutableMode));

        LayerEntry[] others = baseView.Exists(common.InitScriptsDirectory)
            ? []
            : [new DirectoryEntry(ContractLayer.WhereLinksLead(baseView, common.InitScriptsDirectory))];
        return ContractLayer.Placed(files, others, baseView);
    }

    /// <summary>
    /// The config of a build image: the /mnt volume, the standard's environment (INPUT_DIR and
    /// OUTPUT_DIR too) with the build folder first on the base's PATH, the mop user, my_init as the
    /// entrypoint and build as the command.
    /// </summary>
    public static ConfigChanges ConfigChanges(BuildImageStandard standard, ImageConfig baseConfig) => new()
    {
        Volumes = [standard.Common.Volume.Value],
        Environment = [.. standard.Environment, new("PATH", ContractLayer.PathWith(standard.BuildFolder, baseConfig))],
        User = standard.Common.User,
        Entrypoint = standard.Entrypoint,
        Cmd = standard.Cmd,
    };

    /// <summary>The standard's config changes with the project's over them, merged as a run image's are.</summary>
    public static ConfigChanges ConfigChanges(BuildImageStandard standard, ImageConfig baseConfig, ConfigChanges project) =>
        ContractLayer.WithProject(ConfigChanges(standard, baseConfig), project);

    private static FileContent BuildContent(BuildImageStandard standard, BuildSpec build) => build switch
    {
        BuildSpec.Script script => script.Content,
        BuildSpec.SourceBuild => FileContent.FromText(ScriptTemplates.SourceBuild(standard), "generated build"),
        _ => throw new ArgumentOutOfRangeException(nameof(build)),
    };
}
