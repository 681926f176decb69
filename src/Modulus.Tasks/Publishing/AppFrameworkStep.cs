using Modulus.Contract;
using Modulus.Diagnostics;
using Modulus.DotNet;
using Modulus.Images;

namespace Modulus.Publishing;

/// <summary>
/// The framework check of a run image's baked .NET apps (MOD5045–MOD5048): a framework-dependent
/// app must find its frameworks in the finished image, or it would build and then fail in the
/// container with "You must install .NET to run this application". A plain image is not checked,
/// as nothing else of the standard is.
/// </summary>
internal static class AppFrameworkStep
{
    private const string RuntimeConfigSuffix = ".runtimeconfig.json";

    public static void Check(ImagePlan plan, Image image)
    {
        if (plan.Contract.Kind != ImageKind.Run) return;
        var dependent = plan.Apps
            .SelectMany(app => app.Files.Where(IsRuntimeConfig).Select(file => (App: app, Config: At(app, () => Read(app, file)))))
            .Where(a => a.Config.IsFrameworkDependent)
            .ToArray();
        if (dependent.Length == 0) return;
        var dotnet = DotNetInstallation.Of(ImageFileSystem.Read(image.Layers), image.Config);
        foreach (var (app, config) in dependent) At(app, () => FrameworkCheck.Check(app.Name, config, dotnet));
    }

    /// <summary>The app's own runtimeconfig sits at the top of its publish output; a file of that name deeper down is content.</summary>
    private static bool IsRuntimeConfig(PlannedAppFile file) =>
        !file.RelativePath.Contains('/') && file.RelativePath.EndsWith(RuntimeConfigSuffix, StringComparison.OrdinalIgnoreCase);

    private static RuntimeConfig Read(PlannedApp app, PlannedAppFile file) =>
        RuntimeConfig.Parse(File.ReadAllText(file.SourcePath), app.Name, file.RelativePath);

    private static void At(PlannedApp app, Action check) => At(app, () => { check(); return 0; });

    private static T At<T>(PlannedApp app, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ModulusException e) when (e.File is null && app.Location.File is not null)
        {
            throw e.At(app.Location.File, app.Location.Line);
        }
    }
}
