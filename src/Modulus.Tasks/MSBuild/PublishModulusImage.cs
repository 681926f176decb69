using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Publishing;

namespace Modulus.MSBuild;

/// <summary>Publishes the project's image: maps items to an <see cref="ImagePlan"/>, runs <see cref="ImagePublisher"/>, logs and sets outputs.</summary>
public sealed partial class PublishModulusImage : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    public void Cancel() => _cancellation.Cancel();

    public override bool Execute()
    {
        var taskLocation = new SourceLocation(BuildEngine.ProjectFileOfTaskNode, BuildEngine.LineNumberOfTaskNode);
        // Global properties say which values came from the command line (-p:), for errors to point there.
        var locator = new ItemLocator(ProjectFile, taskLocation, (BuildEngine as IBuildEngine6)?.GetGlobalProperties());
        try
        {
            var plan = new PlanMapping(this, locator).ToPlan();
            GeneratedArchiveOutputPath = plan.ArchiveCopyPath ?? string.Empty;
            var result = ImagePublisher.PublishAsync(plan, new TaskPublishLog(Log, ProjectFile), _cancellation.Token).GetAwaiter().GetResult();
            ImageDigest = result.Report.ManifestDigest;
            ImageConfigDigest = result.Report.ConfigDigest;
            LayoutPath = result.Report.LayoutPath;
            ArchivePath = result.Report.ArchivePath;
            ManifestPath = result.ReportPath;
            PushedDigest = result.Report.Pushed?.Digest ?? string.Empty;
            PushedReference = result.Report.Pushed?.Reference ?? string.Empty;
        }
        catch (ModulusException e)
        {
            // An error no input is known for is the project's: the user edits it, not the SDK's targets.
            var (file, text) = ItemLocator.Printable(e.File ?? ProjectFile, e.Text);
            Log.LogError(null, e.Code, null, file, e.File is null ? 0 : e.Line, 0, 0, 0, text);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            Log.LogMessage(MessageImportance.High, "Publishing the image was canceled.");
            return false;
        }
        catch (Exception e)
        {
            // The stack goes to the detailed log, for the bug report the message asks for.
            var error = new ModulusException(Errors.Internal, e, $"{e.GetType().Name}: {e.Message.TrimEnd('.')}");
            Log.LogError(null, error.Code, null, taskLocation.File, taskLocation.Line, 0, 0, 0, error.Text);
            Log.LogMessage(MessageImportance.Low, e.ToString());
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>Forwards to the build log; warnings are shown at <paramref name="file"/>, the project being published.</summary>
    private sealed class TaskPublishLog(TaskLoggingHelper log, string? file) : IPublishLog
    {
        public void Detail(string message) => log.LogMessage(MessageImportance.Normal, message);

        // Normal: shown from `-v n` up, not at the minimal verbosity `dotnet publish` has by default.
        public void Progress(string message) => log.LogMessage(MessageImportance.Normal, message);

        public void Summary(string message) => log.LogMessage(MessageImportance.High, message);

        public void Warning(string code, string message) => log.LogWarning(null, code, null, file, 0, 0, 0, 0, message);

        public void Warning(string code, string message, IReadOnlyList<UnixPath> paths, SourceLocation location)
        {
            var (at, text) = ItemLocator.Printable(location.File, message);
            log.LogWarning(null, code, null, at, location.Line, 0, 0, 0, text);
        }

        public void Error(string code, string message, IReadOnlyList<UnixPath> paths, SourceLocation location)
        {
            var (at, text) = ItemLocator.Printable(location.File, message);
            log.LogError(null, code, null, at, location.Line, 0, 0, 0, text);
        }
    }
}
