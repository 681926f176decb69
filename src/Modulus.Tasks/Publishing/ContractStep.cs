using System.Diagnostics;
using Modulus.Contract;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Publishing;

/// <summary>
/// The run-image contract in a publish: the layer that makes the image a run image, the config
/// changes that go with it, and the validation of the finished image. A plain image passes
/// through untouched.
/// </summary>
internal static class ContractStep
{
    public const string History = "Modulus: run-image contract";

    /// <summary>
    /// The contract layer, generated over the merged view of <paramref name="below"/> (the base and
    /// every layer appended before it); null for a plain image.
    /// </summary>
    public static AppendedLayer? Layer(ImagePlan plan, IReadOnlyList<ILayer> below, BlobStore store, PublishProgress progress)
    {
        if (plan.Contract.Kind != ImageKind.Run) return null;
        var start = At(plan.Contract, plan.Contract.Start);
        var entries = At(plan.Contract, () => ContractLayer.Generate(plan.Contract.Standard, start, ImageFileSystem.Read(below)));
        progress.Log.Detail($"Writing the run-image contract layer of {entries.Count} entries");
        return ImagePublisher.WriteLayer(progress, store, entries, new LayerWriterOptions(plan.Timestamp), History);
    }

    /// <summary>The project's config changes, over the contract's for a run image so that the project's explicit settings win.</summary>
    public static ConfigChanges Config(ImagePlan plan, ImageConfig baseConfig) =>
        plan.Contract.Kind == ImageKind.Run ? ContractLayer.ConfigChanges(plan.Contract.Standard, baseConfig, plan.Config) : plan.Config;

    /// <summary>
    /// Validates the final image: warnings and errors go to the log with their codes, and any
    /// error stops the publish before an output is written.
    /// </summary>
    public static void Validate(ImagePlan plan, Image image, IPublishLog log)
    {
        if (plan.Contract.Kind != ImageKind.Run) return;
        var clock = Stopwatch.StartNew();
        // Only a start the project asked for is proven: the generic start runs the app's own, which arrives at run time.
        var start = plan.Contract.StartCommand is null && plan.Contract.StartScript is null ? null : plan.Contract.Start();
        var diagnostics = ContractValidator.Validate(ImageFileSystem.Read(image.Layers), image.Config, plan.Contract.Standard, start);
        log.Detail($"Validated the image against the run-image standard in {clock.ElapsedMilliseconds} ms: {diagnostics.Count} finding(s)");
        foreach (var d in diagnostics)
        {
            var location = d.Subject == ContractSubject.Start && plan.Contract.StartLocation.File is not null ? plan.Contract.StartLocation : plan.Contract.Location;
            if (d.Severity == ContractSeverity.Error) log.Error(d.Code, d.Text, d.Paths, location);
            else log.Warning(d.Code, d.Text, d.Paths, location);
        }
        var errors = diagnostics.Count(d => d.Severity == ContractSeverity.Error);
        if (errors > 0) throw Located(plan.Contract, new ModulusException(Errors.ContractValidationFailed, errors));
    }

    private static T At<T>(ContractPlan contract, Func<T> generate)
    {
        try
        {
            return generate();
        }
        catch (ModulusException e) when (e.File is null)
        {
            throw Located(contract, e);
        }
    }

    private static ModulusException Located(ContractPlan contract, ModulusException e) =>
        contract.Location.File is null ? e : e.At(contract.Location.File, contract.Location.Line);
}
