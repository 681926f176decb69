using Microsoft.Build.Framework;

namespace Modulus.MSBuild;

/// <summary>
/// The .NET SDK's container properties that have no Modulus property of their own (docs/sdk.md,
/// ".NET SDK container properties"): each is honoured with the .NET SDK's meaning or refused with
/// a code that names it. Sdk.targets fills them.
/// </summary>
public sealed partial class PublishModulusImage
{
    /// <summary>
    /// The .NET SDK container properties the project set, one item each: Include = the property's
    /// name (ContainerBaseImage, ContainerRuntimeIdentifiers, ContainerArchiveOutputPath,
    /// ContainerImageFormat, LocalRegistry, ContainerFamily, ...), metadata Value.
    /// </summary>
    public ITaskItem[] DotNetProperties { get; set; } = [];

    /// <summary>ContainerAppCommandInstruction: Entrypoint, DefaultArgs or None; empty lets the items decide.</summary>
    public string? AppCommandInstruction { get; set; }

    /// <summary>
    /// The labels ContainerGenerateLabels makes from the project's properties (version, title,
    /// description, authors, source, revision, ...), already switched: Include = name, metadata Value.
    /// </summary>
    public ITaskItem[] GeneratedLabels { get; set; } = [];

    /// <summary>ContainerGenerateLabels: false writes no generated label at all.</summary>
    public string? GenerateLabels { get; set; }

    /// <summary>ContainerGenerateLabelsImageCreated: org.opencontainers.image.created from SOURCE_DATE_EPOCH.</summary>
    public string? GenerateCreatedLabel { get; set; }

    /// <summary>ContainerGenerateLabelsImageBaseName: org.opencontainers.image.base.name.</summary>
    public string? GenerateBaseNameLabel { get; set; }

    /// <summary>ContainerGenerateLabelsImageBaseDigest: org.opencontainers.image.base.digest.</summary>
    public string? GenerateBaseDigestLabel { get; set; }

    /// <summary>Where ContainerArchiveOutputPath put the docker-loadable tar; empty when it is not set.</summary>
    [Output]
    public string GeneratedArchiveOutputPath { get; private set; } = string.Empty;
}
