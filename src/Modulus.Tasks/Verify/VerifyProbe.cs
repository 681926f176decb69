using Modulus.Contract;

namespace Modulus.Verify;

/// <summary>
/// What the verification puts in the temporary /mnt: the standard's folders, a supervisor.conf
/// whose one program is the image's own <c>start</c>, and in /mnt/app a probe in the form that
/// start runs: a Node.js app (package.json and probe.js) in an image with Modulus's Node.js
/// runtimes, a framework-dependent .NET app (<see cref="DotnetProbe"/>) in an image with .NET
/// runtimes, else /mnt/app/start, a shell script, which the base's generic start runs. Each probe
/// says who it runs as and with which environment, then waits, and exits 3 when a file asks it to.
/// </summary>
internal static class VerifyProbe
{
    public const string Output = "/mnt/app/probe.out";
    public const string Starts = "/mnt/app/starts";
    public const string CrashRequest = "/mnt/app/crash";

    private const string ShellProbe = """
        #!/bin/sh
        echo started >> /mnt/app/starts
        echo "uid=$(id -u) home=$HOME temp=$TEMP_DIR" > /mnt/app/probe.tmp && mv /mnt/app/probe.tmp /mnt/app/probe.out
        while :; do
          if [ -e /mnt/app/crash ]; then rm -f /mnt/app/crash; echo crashing on request; exit 3; fi
          sleep 1
        done

        """;

    private const string NodeProbe = """
        const fs = require('fs');
        fs.appendFileSync('/mnt/app/starts', 'started\n');
        fs.writeFileSync('/mnt/app/probe.tmp', `uid=${process.getuid()} home=${process.env.HOME} temp=${process.env.TEMP_DIR}\n`);
        fs.renameSync('/mnt/app/probe.tmp', '/mnt/app/probe.out');
        setInterval(() => {
          if (fs.existsSync('/mnt/app/crash')) { fs.rmSync('/mnt/app/crash'); console.log('crashing on request'); process.exit(3); }
        }, 500);

        """;

    private const string NodePackage = """{ "name": "modulus-probe", "version": "1.0.0", "main": "probe.js" }""";

    /// <summary>The shell script a root container runs on the empty volume to lay it out as the platform does, everything owned by mop.</summary>
    public static string Setup(RunImageStandard standard)
    {
        var folders = new[] { standard.TempDirectory, standard.Home, standard.LogDirectory, standard.AppDirectory, standard.NotificationsDirectory, standard.AppStorage }
            .Select(f => f.Value);
        return $"""
            set -e
            mkdir -p {string.Join(' ', folders)}
            cat > /mnt/app/start <<'MODULUS_PROBE'
            {ShellProbe}MODULUS_PROBE
            chmod 0755 /mnt/app/start
            program=start
            if [ -d /opt/modulus/node ]; then
              cat > /mnt/app/probe.js <<'MODULUS_PROBE'
            {NodeProbe}MODULUS_PROBE
              echo '{NodePackage}' > /mnt/app/package.json
            elif [ -d /usr/share/dotnet ]; then
              echo '{Convert.ToBase64String(DotnetProbe.Assembly())}' | base64 -d > /mnt/app/{DotnetProbe.AssemblyFile}
              echo '{DotnetProbe.RuntimeConfig}' > /mnt/app/{DotnetProbe.RuntimeConfigFile}
            fi
            printf '[program:app]\ncommand=%s\nstdout_logfile=/mnt/log/app.log\nredirect_stderr=true\n' "$program" > {standard.AppSupervisorConfig}
            chown -R {standard.Uid}:{standard.Gid} /mnt
            """;
    }
}
