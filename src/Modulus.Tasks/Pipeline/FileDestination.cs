using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Plan;

namespace Modulus.Pipeline;

/// <summary>Where a declared file goes in the image.</summary>
public static class FileDestination
{
    /// <summary>
    /// An inline file's destination is the item itself and must be a full path; one that also
    /// names a host file or a Destination is ambiguous. A host file's
    /// Destination is either a folder ending in '/', which keeps the file's relative name, or the
    /// file's full path.
    /// </summary>
    public static UnixPath Resolve(PlannedFile file)
    {
        if (file.Content is not null)
        {
            if (file.SourcePath is not null || !string.IsNullOrWhiteSpace(file.Destination))
                throw new ModulusException(Errors.ContentAndFileBoth, file.Name);
            if (file.Name.EndsWith('/'))
                throw new ModulusException(Errors.InvalidContainerPath, "ModulusFile", file.Name, "an inline file's path cannot end in '/'");
            return UnixPath.Parse(file.Name, "ModulusFile");
        }
        if (string.IsNullOrWhiteSpace(file.Destination))
            throw new ModulusException(Errors.FileDestinationMissing, file.Name);
        var destination = file.Destination.Trim();
        return destination.EndsWith('/')
            ? UnixPath.Parse(destination + file.RelativeName.Replace('\\', '/'), "Destination")
            : UnixPath.Parse(destination, "Destination");
    }
}
