using Modulus.Layers;

namespace Modulus.Contract;

/// <summary>
/// The values of the run-image standard (docs/contract.md). Every property has the documented
/// default and may be overridden; paths derived from them (the supervisor socket, the logs) are
/// computed so that they move together.
/// </summary>
public sealed record RunImageStandard
{
    public static RunImageStandard Default { get; } = new();

    public string UserName { get; init; } = "mop";

    public int Uid { get; init; } = 441;

    public string GroupName { get; init; } = "mop";

    public int Gid { get; init; } = 444;

    public UnixPath Home { get; init; } = UnixPath.Parse("/mnt/home");

    public UnixPath Shell { get; init; } = UnixPath.Parse("/bin/bash");

    public string Comment { get; init; } = "Modulus Image User";

    /// <summary>The volume the host provides; nothing in the image may live under it.</summary>
    public UnixPath Volume { get; init; } = UnixPath.Parse("/mnt");

    /// <summary>A symbolic link to <see cref="AppStorage"/>, so persistent storage is also reachable outside the volume.</summary>
    public UnixPath AppStorageLink { get; init; } = UnixPath.Parse("/app-storage");

    public UnixPath AppStorage { get; init; } = UnixPath.Parse("/mnt/app-storage");

    /// <summary>Where TEMP_DIR, TMPDIR and TMP_DIR point.</summary>
    public UnixPath TempDirectory { get; init; } = UnixPath.Parse("/mnt/tmp");

    /// <summary>The folder that holds <c>start</c>; it is put first on PATH.</summary>
    public UnixPath StartFolder { get; init; } = UnixPath.Parse("/opt/modulus/bin");

    /// <summary>The working directory of a generated <c>start</c> when the project names none.</summary>
    public UnixPath AppDirectory { get; init; } = UnixPath.Parse("/mnt/app");

    public UnixPath LogDirectory { get; init; } = UnixPath.Parse("/mnt/log");

    public UnixPath NotificationsDirectory { get; init; } = UnixPath.Parse("/mnt/notifications");

    /// <summary>The platform's supervisor program sections, included by the base configuration.</summary>
    public UnixPath AppSupervisorConfig { get; init; } = UnixPath.Parse("/mnt/supervisor.conf");

    /// <summary>supervisord's base configuration; at /etc/supervisord.conf supervisorctl finds it without -c.</summary>
    public UnixPath SupervisorConfig { get; init; } = UnixPath.Parse("/etc/supervisord.conf");

    public UnixPath Init { get; init; } = UnixPath.Parse("/sbin/my_init");

    public UnixPath InitScriptsDirectory { get; init; } = UnixPath.Parse("/etc/my_init.d");

    public UnixPath Notifier { get; init; } = UnixPath.Parse("/opt/modulus/libexec/modulus-notify");

    /// <summary>The image's command (its Cmd; the Entrypoint is cleared).</summary>
    public IReadOnlyList<string> Command { get; init; } = ["/sbin/my_init"];

    /// <summary>The image's user: the container runs as this user, never as root.</summary>
    public string User { get; init; } = "mop";

    /// <summary>Size at which app.log, supervisord.log and the listener's log rotate, in supervisord's syntax ("50MB").</summary>
    public string LogMaxBytes { get; init; } = "50MB";

    /// <summary>Rotated logs kept next to each log.</summary>
    public int LogBackups { get; init; } = 10;

    /// <summary>How long my_init waits for supervisord to stop after SIGTERM before it kills it; below docker stop's 10 s.</summary>
    public int StopTimeoutSeconds { get; init; } = 8;

    /// <summary>The folders the platform provides in the volume, for mop to read and write; my_init checks them before anything starts.</summary>
    public IReadOnlyList<UnixPath> VolumeFolders => [TempDirectory, Home, LogDirectory, AppDirectory, NotificationsDirectory, AppStorage];

    public UnixPath AppLog => LogDirectory.Combine("app.log");

    public UnixPath SupervisordLog => LogDirectory.Combine("supervisord.log");

    public UnixPath SupervisorSocket => Home.Combine("supervisor.sock");

    /// <summary>The program section my_init writes when <see cref="AppSupervisorConfig"/> is missing.</summary>
    public UnixPath FallbackSupervisorConfig => Home.Combine("supervisor-fallback.conf");

    /// <summary>The environment the image declares (PATH apart, which is merged with the base's).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment =>
    [
        new("TEMP_DIR", TempDirectory.Value),
        new("TMPDIR", TempDirectory.Value),
        new("TMP_DIR", TempDirectory.Value),
        new("HOME", Home.Value),
    ];
}
