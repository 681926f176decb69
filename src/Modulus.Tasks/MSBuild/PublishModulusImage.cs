using Microsoft.Build.Framework;
using Modulus.Diagnostics;
using Modulus.Publishing;

namespace Modulus.MSBuild;

/// <summary>Publishes the project's image: maps items to an <see cref="Plan.ImagePlan"/>, runs <see cref="ImagePublisher"/>, logs and sets outputs.</summary>
public sealed partial class PublishModulusImage : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();
    private TaskBuildLog? _buildLog;

    public void Cancel() => _cancellation.Cancel();

    /// <summary>Where the publish and the mapping of the project's items report: MSBuild's log, through the one adapter.</summary>
    internal IBuildLog BuildLog => _buildLog ??= new TaskBuildLog(Log, ProjectFile);

    public override bool Execute()
    {
        var taskLocation = new SourceLocation(BuildEngine.ProjectFileOfTaskNode, BuildEngine.LineNumberOfTaskNode);
        // Global properties say which values came from the command line (-p:), for errors to point there.
        var inputErrors = new InputErrors();
        var locator = new ItemLocator(ProjectFile, taskLocation, (BuildEngine as IBuildEngine6)?.GetGlobalProperties(), inputErrors);
        try
        {
            var intermediateDirectory = Path.GetFullPath(IntermediateDirectory, Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!);
            var memoKey = UpToDateMemo.KeyOf(TaskInputsText.Of(this));
            if (UpToDateMemo.Check(intermediateDirectory, memoKey) is { } memo)
            {
                SetOutputs(memo.Reported);
                BuildLog.Summary(memo.Summary);
                Log.LogMessage(MessageImportance.Normal, $"Nothing the image depends on changed since its last publish ({memo.Files.Count} files checked): the plan was not read again.");
                return true;
            }
            if (MapInputs(locator, inputErrors) is not ({ } plan, { } declared)) return false;
            GeneratedArchiveOutputPath = plan.ArchiveCopyPath ?? string.Empty;
            // An inline file's Include that is not a host file now would make the item ambiguous if one appeared.
            var inlineNames = Files.Where(f => !string.IsNullOrEmpty(f.GetMetadata("Content")) && !f.ItemSpec.StartsWith('/')).Select(f => f.GetMetadata("FullPath"));
            var inputsAtStart = UpToDateMemo.Applies(plan) ? UpToDateMemo.InputsOf(plan, inlineNames) : [];
            var result = ImagePublisher.PublishAsync(plan, declared, BuildLog, _cancellation.Token, time: null, debianHttp: null).GetAwaiter().GetResult();
            var reported = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                // What the tags name: the index of a multi-platform image.
                [nameof(ImageDigest)] = result.Report.IndexDigest ?? result.Report.ManifestDigest,
                [nameof(IndexDigest)] = result.Report.IndexDigest ?? string.Empty,
                [nameof(ImageConfigDigest)] = result.Report.ConfigDigest,
                [nameof(LayoutPath)] = result.Report.LayoutPath,
                [nameof(ArchivePath)] = result.Report.ArchivePath,
                [nameof(ManifestPath)] = result.ReportPath,
                [nameof(ReportPagePath)] = result.Report.PagePath ?? string.Empty,
                [nameof(PushedDigest)] = result.Report.Pushed?.Digest ?? string.Empty,
                [nameof(PushedReference)] = result.Report.Pushed?.Reference ?? string.Empty,
            };
            SetOutputs(reported);
            RememberUpToDate(memoKey, plan, inputsAtStart, result, reported);
        }
        catch (ModulusException e)
        {
            BuildLog.Report(Diagnostic.Of(e));
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            BuildLog.Summary("Publishing the image was canceled.");
            return false;
        }
        catch (Exception e)
        {
            // The stack goes to the detailed log, for the bug report the message asks for.
            BuildLog.Report(Diagnostic.Failure(Errors.Internal, taskLocation, $"{e.GetType().Name}: {e.Message.TrimEnd('.')}"));
            Log.LogMessage(MessageImportance.Low, e.ToString());
        }
        return !Log.HasLoggedErrors;
    }

    private void SetOutputs(IReadOnlyDictionary<string, string> reported)
    {
        string Value(string name) => reported.TryGetValue(name, out var value) ? value : string.Empty;
        ImageDigest = Value(nameof(ImageDigest));
        IndexDigest = Value(nameof(IndexDigest));
        ImageConfigDigest = Value(nameof(ImageConfigDigest));
        LayoutPath = Value(nameof(LayoutPath));
        ArchivePath = Value(nameof(ArchivePath));
        ManifestPath = Value(nameof(ManifestPath));
        ReportPagePath = Value(nameof(ReportPagePath));
        PushedDigest = Value(nameof(PushedDigest));
        PushedReference = Value(nameof(PushedReference));
    }

    /// <summary>
    /// Records the memo that lets the next publish with the same inputs stop before the plan
    /// (<see cref="UpToDateMemo"/>), or removes the last one when this plan cannot have one.
    /// </summary>
    private void RememberUpToDate(string memoKey, Plan.ImagePlan plan, IReadOnlyList<string> inputsAtStart, PublishResult result, IReadOnlyDictionary<string, string> reported)
    {
        var report = result.Report;
        var summary = $"Image {ImagePublisher.Name(plan)} is up to date: {(report.IndexDigest is { } index ? $"index {index}" : report.ManifestDigest)} ({ImagePublisher.FormatSize(report.Size)}) in {report.LayoutPath}";
        ImagePublisher.WriteOutputs(plan.IntermediateDirectory, () =>
        {
            if (_buildLog is not { Warned: true } && UpToDateMemo.Of(memoKey, plan, inputsAtStart, report, result.ReportPath, reported, summary) is { } memo)
                memo.Write(plan.IntermediateDirectory);
            else UpToDateMemo.Forget(plan.IntermediateDirectory);
        });
    }

    /// <summary>
    /// The plan and its files and apps as declared, checked once for the whole publish; nulls
    /// when any input is bad: then every bad input has been reported, each at its declaration, and
    /// nothing is published.
    /// </summary>
    private (Plan.ImagePlan? Plan, Pipeline.DeclaredLayers? Declared) MapInputs(ItemLocator locator, InputErrors errors)
    {
        Plan.ImagePlan? plan = null;
        try
        {
            plan = new PlanMapping(this, locator).ToPlan();
        }
        catch (Exception e) when (errors.Any && e is not OperationCanceledException)
        {
            // A placeholder for a value that could not be made broke a later reading: the errors
            // already recorded say what to fix, and this one would only follow from them.
            Log.LogMessage(MessageImportance.Low, $"Reading the project's inputs stopped after {errors.All.Count} error(s): {e}");
        }
        // The declarations' own checks (a path declared twice, a missing source) too, on the items that could be read.
        // Items that could not be read are null in the plan; with any error nothing is published.
        var declared = plan is null ? null : Pipeline.LayerPlanner.Declare(plan with
        {
            Directories = plan.Directories.Where(d => d is not null).ToArray(),
            Symlinks = plan.Symlinks.Where(s => s is not null).ToArray(),
        }, errors);
        if (!errors.Any) return (plan, declared);
        errors.ReportTo(BuildLog);
        return (null, null);
    }
}
