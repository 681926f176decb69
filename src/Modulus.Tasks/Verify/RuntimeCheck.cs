using System.Text.Json.Serialization;
using Modulus.Diagnostics;

namespace Modulus.Verify;

/// <summary>
/// One run-time check of the standard as it ended: its code, what it checks, whether it passed,
/// and for a failure what was seen and the message that says what the standard wants.
/// </summary>
public sealed record RuntimeCheckResult(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("check")] string Check,
    [property: JsonPropertyName("passed")] bool Passed,
    [property: JsonPropertyName("message")] string? Message)
{
    public static RuntimeCheckResult Pass(RuntimeCheck check) => new(check.Error.Code, check.Name, true, null);

    public static RuntimeCheckResult Fail(RuntimeCheck check, params object?[] args) => new(check.Error.Code, check.Name, false, check.Error.Text(args));
}

/// <summary>A run-time check: the error it reports when it fails, and its name in the report.</summary>
public sealed record RuntimeCheck(ErrorCode Error, string Name);

/// <summary>The run-time checks, in the order they run.</summary>
public static class RuntimeChecks
{
    public static readonly RuntimeCheck AppIdentity = new(Errors.RuntimeAppIdentity, "The app runs as mop with HOME and TEMP_DIR set");
    public static readonly RuntimeCheck Init = new(Errors.RuntimeInit, "PID 1 is the init");
    public static readonly RuntimeCheck Supervisorctl = new(Errors.RuntimeSupervisorctl, "supervisorctl answers through docker exec");
    public static readonly RuntimeCheck AppStorage = new(Errors.RuntimeAppStorage, "/app-storage reaches /mnt/app-storage");
    public static readonly RuntimeCheck Writable = new(Errors.RuntimeWritable, "mop can write in /mnt and nowhere else (every path scanned)");
    public static readonly RuntimeCheck Crash = new(Errors.RuntimeCrash, "A crash writes a notification and the app is started again");
    public static readonly RuntimeCheck Stop = new(Errors.RuntimeStop, "docker stop ends the container within the stop timeout");

    public static IReadOnlyList<RuntimeCheck> All { get; } = [AppIdentity, Init, Supervisorctl, AppStorage, Writable, Crash, Stop];
}
