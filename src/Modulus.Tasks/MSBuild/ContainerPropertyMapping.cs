using Microsoft.Build.Utilities;
using Modulus.Diagnostics;
using Modulus.Plan;

namespace Modulus.MSBuild;

/// <summary>
/// The .NET SDK's container properties that have no Modulus property of their own (docs/sdk.md,
/// ".NET SDK container properties"): honoured with the .NET SDK's meaning where Modulus can do
/// what they ask, otherwise refused at their line: a warning when they would change nothing, an
/// error when the image cannot be what they ask for.
/// </summary>
internal sealed class ContainerPropertyMapping(PublishModulusImage task, ItemLocator locator)
{
    private const string DerivedFromBaseImage = "the .NET SDK computes it from ContainerBaseImage and does not read it; name the base with ContainerBaseImage";

    /// <summary>Properties that change nothing in a Modulus image, with the reason the warning gives.</summary>
    private static readonly Dictionary<string, string> NoEffect = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ContainerFamily"] = "it picks a variant of the .NET SDK's default Microsoft base images, and a Modulus image has no default base; name the base you want with ContainerBaseImage (for example a -noble-chiseled tag)",
        ["EnableSdkContainerDebugging"] = "it is Visual Studio's switch for debugging .NET SDK containers, and the image is built the same either way",
        ["ContainerPublishInParallel"] = "it runs the .NET SDK's per-platform builds in parallel, and Modulus builds one platform per publish",
        ["ContainerBaseRegistry"] = DerivedFromBaseImage,
        ["ContainerBaseName"] = DerivedFromBaseImage,
        ["ContainerBaseTag"] = DerivedFromBaseImage,
        ["ContainerBaseDigest"] = DerivedFromBaseImage,
    };

    /// <summary>Switches whose one value would change nothing here, with the reason.</summary>
    private static readonly Dictionary<string, (string Value, string Why)> NoEffectWhen = new(StringComparer.OrdinalIgnoreCase)
    {
        ["EnableSdkContainerSupport"] = ("false", "the image is a Modulus project's only product; to build no image, do not publish the project"),
        ["AutoGenerateImageTag"] = ("true", "a tag made from the clock would differ on every publish, so no two builds would agree and the image would never be up to date; set ContainerImageTags explicitly (for example from the build number)"),
        ["ContainerGenerateLabelsDotnetToolset"] = ("true", "Modulus writes no net.dot.* labels: the image project compiles nothing, and the SDK's version in a label would change the digest with every SDK update"),
    };

    private readonly Dictionary<string, string> _values = task.DotNetProperties
        .GroupBy(i => i.ItemSpec, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.Last().GetMetadata("Value").Trim(), StringComparer.OrdinalIgnoreCase);

    public string? Value(string property) => _values.TryGetValue(property, out var value) && value.Length > 0 ? value : null;

    /// <summary>Warns about every property that is set but changes nothing, and about the obsolete ContainerImageName.</summary>
    public void Warn()
    {
        foreach (var (property, value) in _values.Where(p => p.Value.Length > 0))
        {
            var why = NoEffect.GetValueOrDefault(property)
                ?? (NoEffectWhen.TryGetValue(property, out var when) && when.Value.Equals(value, StringComparison.OrdinalIgnoreCase) ? when.Why : null);
            if (why is not null) Warning(property, Errors.ContainerPropertyUnused, property, value, why);
        }
        if (Value("ContainerImageName") is { } name) Warning("ContainerImageName", Errors.ContainerImageNameObsolete, name);
    }

    /// <summary>ContainerImageFormat and LocalRegistry that ask for what Modulus cannot write.</summary>
    public void Refuse()
    {
        if (Value("ContainerImageFormat") is { } format && !format.Equals("OCI", StringComparison.OrdinalIgnoreCase))
            Fail("ContainerImageFormat", new ModulusException(Errors.UnsupportedImageFormat, format));
        if (Value("LocalRegistry") is { } local && !local.Equals("Docker", StringComparison.OrdinalIgnoreCase))
            Fail("LocalRegistry", new ModulusException(Errors.UnsupportedLocalRegistry, local));
    }

    /// <summary>ContainerBaseImage is ModulusBaseImage by the .NET SDK's name: two different values are refused.</summary>
    public void CheckBaseImage(string modulusBaseImage)
    {
        if (Value("ContainerBaseImage") is { } containerBase && containerBase != modulusBaseImage)
            Fail("ContainerBaseImage", new ModulusException(Errors.BaseImageSetTwice, containerBase, modulusBaseImage));
    }

    /// <summary>
    /// ContainerArchiveOutputPath as the .NET SDK reads it: a folder (one that exists, a path
    /// ending in a separator, or a name without an extension, which a clean CI checkout has not
    /// made yet) gets REPOSITORY.tar.gz; anything else is the file itself.
    /// </summary>
    public string? ArchivePath(Oci.ImageRepository repository, string projectDirectory)
    {
        if (Value("ContainerArchiveOutputPath") is not { } path) return null;
        var full = Path.GetFullPath(path, projectDirectory);
        var folder = Directory.Exists(full) || path.EndsWith('/') || path.EndsWith('\\') || !Path.HasExtension(full);
        return folder ? Path.Combine(full, repository + ".tar.gz") : full;
    }

    /// <summary>ContainerRegistry, unless ContainerArchiveOutputPath asks for an archive instead (the .NET SDK's rule).</summary>
    public string? Registry(string? registry, string? archivePath)
    {
        if (registry is null || archivePath is null) return registry;
        Warning("ContainerArchiveOutputPath", Errors.ArchiveInsteadOfPush, archivePath, registry);
        return null;
    }

    /// <summary>ContainerGenerateLabels and its switches; all on unless the project turns them off, as in the .NET SDK.</summary>
    public GeneratedLabels Labels()
    {
        if (!Switch(task.GenerateLabels, "ContainerGenerateLabels")) return GeneratedLabels.None;
        var reference = task.ReferencedImages.Length == 1 ? task.ReferencedImages[0] : null;
        return new GeneratedLabels
        {
            FromProject = task.GeneratedLabels.GroupBy(i => i.ItemSpec, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last().GetMetadata("Value"), StringComparer.Ordinal),
            WithCreated = Switch(task.GenerateCreatedLabel, "ContainerGenerateLabelsImageCreated"),
            WithBaseName = Switch(task.GenerateBaseNameLabel, "ContainerGenerateLabelsImageBaseName"),
            WithBaseDigest = Switch(task.GenerateBaseDigestLabel, "ContainerGenerateLabelsImageBaseDigest"),
            ReferencedBaseName = reference is null ? null : (reference.GetMetadata("ImageName") is { Length: > 0 } name ? name : null),
            ReferencedBaseDigest = reference is null ? null : (reference.GetMetadata("ImageDigest") is { Length: > 0 } digest ? digest : null),
        };
    }

    private bool Switch(string? value, string property) =>
        locator.ReadProperty(property, () => ConfigInputs.Boolean(value, property, defaultValue: true));

    private void Warning(string property, ErrorCode code, params object?[] args) =>
        task.BuildLog.Warn(code, locator.OfProperty(property), args);

    /// <summary>Reports <paramref name="e"/> at <paramref name="property"/>'s line, with the project's other input errors.</summary>
    private void Fail(string property, ModulusException e) => locator.Check(locator.OfProperty(property), () => throw e);
}
