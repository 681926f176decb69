using System.Diagnostics;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// For tests of hostile input that used to hang: the work runs on its own thread and the test
/// fails when it outlasts its limit (or the test's own [CancelAfter]), instead of blocking the test run.
/// </summary>
public static class Bounded
{
    public static T Within<T>(TimeSpan limit, Func<T> work)
    {
        var task = Task.Factory.StartNew(work, TaskCreationOptions.LongRunning);
        if (!task.Wait(limit, TestContext.CurrentContext.CancellationToken)) Assert.Fail($"still running after {limit.TotalSeconds:0} s: the input was not refused");
        return task.Result;
    }

    /// <summary>A named pipe at <paramref name="path"/>: opening it to read blocks until a writer comes.</summary>
    public static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        mkfifo.ExitCode.ShouldBe(0);
    }
}
