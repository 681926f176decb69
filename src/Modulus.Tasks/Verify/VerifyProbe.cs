using Modulus.Contract;

namespace Modulus.Verify;

/// <summary>
/// What the verification puts in the temporary /mnt: the standard's folders, a supervisor.conf
/// whose one program is a probe, and the probe, a shell script that says who it runs as and with
/// which environment, then waits, and crashes when a file asks it to.
/// </summary>
internal static class VerifyProbe
{
    public const string Output = "/mnt/app/probe.out";
    public const string Starts = "/mnt/app/starts";
    public const string CrashRequest = "/mnt/app/crash";

    private const string Probe = """
        #!/bin/sh
        echo started >> /mnt/app/starts
        echo "uid=$(id -u) home=$HOME temp=$TEMP_DIR" > /mnt/app/probe.tmp && mv /mnt/app/probe.tmp /mnt/app/probe.out
        while :; do
          if [ -e /mnt/app/crash ]; then rm -f /mnt/app/crash; echo crashing on request; exit 3; fi
          sleep 1
        done

        """;

    private const string SupervisorConf = """
        [program:app]
        command=/mnt/app/probe
        stdout_logfile=/mnt/log/app.log
        redirect_stderr=true

        """;

    /// <summary>The shell script a root container runs on the empty volume to lay it out as the platform does, everything owned by mop.</summary>
    public static string Setup(RunImageStandard standard)
    {
        var folders = new[] { standard.TempDirectory, standard.Home, standard.LogDirectory, standard.AppDirectory, standard.NotificationsDirectory, standard.AppStorage }
            .Select(f => f.Value);
        return $"""
            set -e
            mkdir -p {string.Join(' ', folders)}
            cat > /mnt/app/probe <<'MODULUS_PROBE'
            {Probe}MODULUS_PROBE
            cat > {standard.AppSupervisorConfig} <<'MODULUS_CONF'
            {SupervisorConf}MODULUS_CONF
            chmod 0755 /mnt/app/probe
            chown -R {standard.Uid}:{standard.Gid} /mnt
            """;
    }
}
