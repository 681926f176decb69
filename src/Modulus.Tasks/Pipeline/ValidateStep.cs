using System.Diagnostics;
using Modulus.Contract;
using Modulus.Diagnostics;
using Modulus.Plan;
using Modulus.DotNet;

namespace Modulus.Pipeline;

/// <summary>
/// A run or build image checked against its standard, over the same view the layers grew: the baked .NET
/// apps' frameworks (MOD5045–MOD5048: a framework-dependent app must find its frameworks, or it
/// would build and then fail in the container with "You must install .NET to run this
/// application"), then every rule, with warnings and errors logged with their codes; any error
/// stops the publish before an output is written. A plain image is not checked.
/// </summary>
internal sealed class ValidateStep : PublishStep
{
    private const string RuntimeConfigSuffix = ".runtimeconfig.json";

    public override string Name => "Validate";

    public override PublishPhase? Phase(ImagePlan plan) => plan.Contract.Kind == ImageKind.Plain ? null : PublishPhase.Validate;

    public override SourceLocation LocationOf(ImagePlan plan, ModulusException error) => plan.Contract.Location;

    public override Task<IReadOnlyList<StepLayer>> RunAsync(StepContext context)
    {
        if (context.Plan.Contract.Kind == ImageKind.Plain) return None;
        CheckFrameworks(context);
        CheckStandard(context);
        return None;
    }

    private static void CheckFrameworks(StepContext context)
    {
        var dependent = context.Plan.Apps
            .SelectMany(app => app.Files.Where(IsRuntimeConfig).Select(file => (App: app, Config: Located.Run(app.Location, () => Read(app, file)))))
            .Where(a => a.Config.IsFrameworkDependent)
            .ToArray();
        if (dependent.Length == 0) return;
        var dotnet = DotNetInstallation.Of(context.View, context.Image!.Config);
        foreach (var (app, config) in dependent) Located.Run(app.Location, () => FrameworkCheck.Check(app.Name, config, dotnet));
    }

    /// <summary>The app's own runtimeconfig sits at the top of its publish output; a file of that name deeper down is content.</summary>
    private static bool IsRuntimeConfig(PlannedAppFile file) =>
        !file.RelativePath.Contains('/') && file.RelativePath.EndsWith(RuntimeConfigSuffix, StringComparison.OrdinalIgnoreCase);

    private static RuntimeConfig Read(PlannedApp app, PlannedAppFile file) =>
        RuntimeConfig.Parse(File.ReadAllText(file.SourcePath), app.Name, file.RelativePath);

    private static void CheckStandard(StepContext context)
    {
        var (contract, log) = (context.Plan.Contract, context.Log);
        var clock = Stopwatch.StartNew();
        // Only a start the project asked for is proven: the generic start runs the app's own, which arrives at run time.
        var start = contract.StartCommand is null && contract.StartScript is null ? null : contract.Start();
        var build = contract.Kind == ImageKind.Build;
        var diagnostics = build
            ? ContractValidator.Validate(context.View, context.Image!.Config, contract.BuildStandard)
            : ContractValidator.Validate(context.View, context.Image!.Config, contract.Standard, start);
        log.Detail($"Validated the image against the {(build ? "build" : "run")}-image standard in {clock.ElapsedMilliseconds} ms: {diagnostics.Count} finding(s)");
        context.ContractFindings = diagnostics;
        foreach (var d in diagnostics)
        {
            var location = d.Subject == ContractSubject.Start && contract.StartLocation.File is not null ? contract.StartLocation : contract.Location;
            var severity = d.Severity == ContractSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
            log.Report(new Diagnostic(d.Error, severity, d.Text, location));
        }
        var errors = diagnostics.Count(d => d.Severity == ContractSeverity.Error);
        if (errors > 0) throw new ModulusException(Errors.ContractValidationFailed, errors);
    }
}
