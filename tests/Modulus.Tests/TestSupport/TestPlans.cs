using Modulus.Oci;
using Modulus.Plan;
using Modulus.Sources;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// A plan that publishes into a folder of its own (publish/, obj/ below it), at a fixed time, on
/// one platform or several: the part every publishing test shares. A test says what its image
/// holds with <c>with { ... }</c>.
/// </summary>
internal static class TestPlans
{
    public static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    /// <summary>The plan for <paramref name="platforms"/> (the first alone: a one-platform image) on <paramref name="baseImage"/>, scratch by default.</summary>
    public static ImagePlan In(string folder, string cache, ImageRepository repository, BaseImageSource? baseImage = null, params Platform[] platforms)
    {
        Directory.CreateDirectory(folder);
        platforms = platforms.Length == 0 ? [Platform.LinuxAmd64] : platforms;
        return new ImagePlan
        {
            BaseImage = baseImage ?? BaseImageSource.Scratch,
            ProjectDirectory = folder,
            Platform = platforms[0],
            Platforms = platforms.Length > 1 ? platforms : [],
            Repository = repository,
            Tags = ["v1"],
            Timestamp = Timestamp,
            OutputDirectory = Path.Combine(folder, "publish"),
            IntermediateDirectory = Path.Combine(folder, "obj"),
            BlobCacheDirectory = cache,
        };
    }
}
