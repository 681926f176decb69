using Modulus.Diagnostics;

namespace Modulus.DotNet;

/// <summary>
/// Proves at build time that a framework-dependent app can start in the image: every framework
/// its runtimeconfig.json names resolves, under the host's roll-forward rules, to a version the
/// image holds, and the host resolver is there to load it. A self-contained app needs neither.
/// </summary>
public static class FrameworkCheck
{
    public static void Check(string app, RuntimeConfig config, DotNetInstallation dotnet)
    {
        if (!config.IsFrameworkDependent) return;
        var environment = dotnet.Environment;
        var rollToPreRelease = environment.GetValueOrDefault("DOTNET_ROLL_FORWARD_TO_PRERELEASE") == "1";
        foreach (var framework in config.Frameworks)
        {
            // The host's precedence: the environment over the reference's own setting over the file's.
            var (policyText, source) = environment.GetValueOrDefault("DOTNET_ROLL_FORWARD") is { Length: > 0 } fromEnvironment
                ? (fromEnvironment, "the image's DOTNET_ROLL_FORWARD")
                : framework.RollForward is not null ? (framework.RollForward, $"{framework.Name}'s rollForward")
                : (config.RollForward, "runtimeOptions.rollForward");
            if (!FrameworkResolver.TryParsePolicy(policyText, out var policy))
                throw new ModulusException(Errors.AppRollForwardInvalid, app, policyText, source);
            var available = dotnet.Versions(framework.Name);
            if (FrameworkResolver.Resolve(framework.Version, policy, available, rollToPreRelease) is null)
                throw new ModulusException(Errors.AppFrameworkMissing, app, framework.Name, framework.Version, policy, Present(dotnet, framework.Name, available));
        }
        if (!dotnet.HasHostResolver) throw new ModulusException(Errors.AppHostResolverMissing, app, dotnet.Root);
    }

    private static string Present(DotNetInstallation dotnet, string framework, IReadOnlyList<FrameworkVersion> available) => available.Count switch
    {
        0 when !dotnet.HasAnyFramework => $"no .NET at {dotnet.Root} (DOTNET_ROOT)",
        0 => $"no version of it in {dotnet.Root}/shared/{framework}",
        _ => $"only {string.Join(", ", available)} in {dotnet.Root}/shared/{framework}",
    };
}
