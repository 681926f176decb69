namespace Modulus.Tests.RunImages;

/// <summary>
/// The programs the tests run in the base image, as a platform would deliver them in /mnt: an
/// application that the generic start finds at /mnt/app/start, a program that crashes and one
/// that leaves orphans, and the platform's supervisor.conf naming them.
/// </summary>
internal static class SampleApp
{
    public const string Greeting = "hello from the app as uid 441";

    public const string EnvironmentLine = "env TEMP_DIR=/mnt/tmp TMPDIR=/mnt/tmp TMP_DIR=/mnt/tmp HOME=/mnt/home";

    public const string StderrLine = "a line on stderr";

    private const string Start = """
        #!/bin/bash
        # The application: says who and where it is, leaves a file in its temp and home folders, then serves forever.
        echo "hello from the app as uid $(id -u)"
        echo "env TEMP_DIR=$TEMP_DIR TMPDIR=$TMPDIR TMP_DIR=$TMP_DIR HOME=$HOME"
        echo "a line on stderr" >&2
        touch "$TMPDIR/app-was-here" "$HOME/app-was-here"
        exec sleep infinity

        """;

    private const string Crash = """
        #!/bin/sh
        # Runs long enough for supervisord to count it as started, then fails.
        echo "crasher: exiting with 3"
        sleep 2
        exit 3

        """;

    private const string Orphans = """
        #!/bin/bash
        # Every second, three children whose parent exits at once: the kernel hands them to PID 1,
        # which must reap them when they end a second later.
        while true; do
          for i in 1 2 3; do ( sleep 1 & ); done
          sleep 1
        done

        """;

    private const string SupervisorConf = """
        [program:app]
        command=start
        environment=PORT=8080
        stdout_logfile=/mnt/log/app.log
        redirect_stderr=true

        [program:crasher]
        command=/mnt/app/crash
        stdout_logfile=/mnt/log/crasher.log
        redirect_stderr=true

        [program:orphans]
        command=/mnt/app/orphans
        stdout_logfile=/mnt/log/orphans.log
        redirect_stderr=true

        """;

    /// <summary>/mnt with the application only: my_init must fall back to running start itself.</summary>
    public static MntFolder WithoutSupervisorConf()
    {
        var mnt = new MntFolder();
        mnt.WriteFile("app/start", Start, executable: true);
        return mnt;
    }

    /// <summary>/mnt with the application, the crashing and orphaning programs and the platform's supervisor.conf.</summary>
    public static MntFolder Supervised()
    {
        var mnt = WithoutSupervisorConf();
        mnt.WriteFile("app/crash", Crash, executable: true);
        mnt.WriteFile("app/orphans", Orphans, executable: true);
        mnt.WriteFile("supervisor.conf", SupervisorConf);
        return mnt;
    }
}
