using Microsoft.Build.Framework;
using Modulus.Diagnostics;
using Modulus.Verify;

namespace Modulus.MSBuild;

/// <summary>ModulusVerifyImage: runs the published run image in a Docker daemon and proves the standard's run-time checks (docs/sdk.md).</summary>
public sealed class VerifyModulusImage : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>The publish's modulus-image.json.</summary>
    [Required]
    public string ManifestPath { get; set; } = string.Empty;

    /// <summary>ModulusImageKind: only a run image follows the standard.</summary>
    public string? ImageKind { get; set; }

    /// <summary>ModulusDockerHost; empty means DOCKER_HOST or the default socket.</summary>
    public string? DockerHost { get; set; }

    /// <summary>The project, where diagnostics are shown.</summary>
    public string? ProjectFile { get; set; }

    public void Cancel() => _cancellation.Cancel();

    public override bool Execute()
    {
        var log = new TaskBuildLog(Log, ProjectFile);
        try
        {
            if (!string.Equals(ImageKind?.Trim(), "run", StringComparison.OrdinalIgnoreCase))
                throw new ModulusException(Errors.VerifyNotPublished, ManifestPath, $"ModulusImageKind is '{ImageKind}', not run");
            PublishedImageVerification.VerifyAsync(ManifestPath, string.IsNullOrWhiteSpace(DockerHost) ? null : DockerHost.Trim(), log, _cancellation.Token)
                .GetAwaiter().GetResult();
        }
        catch (ModulusException e)
        {
            log.Report(Diagnostic.Of(e));
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            return false;
        }
        return !Log.HasLoggedErrors;
    }
}
