using Modulus.Contract;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Contract;

/// <summary>
/// The build-time proof of start: the program a start command runs, or the interpreter of a start
/// script, is in the finished image and mop can execute it; otherwise a MOD409x error about the
/// project's start (reported at its line).
/// </summary>
public class StartProofTests
{
    private const int Executable = 0b111_101_101;

    public sealed record ProofCase(string Description, string Command, string? Code, Action<RunImageFixture> Prepare)
    {
        public override string ToString() => Description;
    }

    public static IEnumerable<ProofCase> Cases() =>
    [
        new("gunicorn app:app without gunicorn in the image", "gunicorn app:app", "MOD4090", _ => { }),
        new("gunicorn on PATH, a python script", "gunicorn app:app", null,
            f => f.TopEntries.Add(TarLayer.File("usr/local/bin/gunicorn", "#!/usr/bin/python3\nimport gunicorn\n", Executable))),
        new("gunicorn that mop cannot execute (0750 root:root)", "gunicorn app:app", "MOD4092",
            f => f.TopEntries.Add(TarLayer.File("usr/local/bin/gunicorn", "#!/usr/bin/python3\n", 0b111_101_000))),
        new("gunicorn whose group is mop's (0750 root:mop)", "gunicorn app:app", null,
            f => f.TopEntries.Add(TarLayer.File("usr/local/bin/gunicorn", "#!/usr/bin/python3\n", 0b111_101_000, 0, 444))),
        new("a program in a folder mop cannot search", "/opt/app/run", "MOD4092",
            f => f.TopEntries.AddRange([TarLayer.Directory("opt/app", 0b111_000_000), TarLayer.File("opt/app/run", "\u007fELF", Executable)])),
        new("an absolute path that exists", "/opt/app/run --port 8080", null,
            f => f.TopEntries.Add(TarLayer.File("opt/app/run", "\u007fELF", Executable))),
        new("an absolute path that does not exist", "/opt/app/run", "MOD4090", _ => { }),
        new("an absolute path that is a folder", "/opt/app", "MOD4091", f => f.TopEntries.Add(TarLayer.Directory("opt/app"))),
        new("a link that leads nowhere", "tool", "MOD4091", f => f.TopEntries.Add(TarLayer.Symlink("usr/local/bin/tool", "/opt/gone/tool"))),
        new("a link to a program (python3 -> python3.11)", "python3 app.py", null, _ => { }),
        new("a script whose interpreter is missing", "gunicorn app:app", "MOD4093",
            f => f.TopEntries.Add(TarLayer.File("usr/local/bin/gunicorn", "#!/usr/bin/ruby\n", Executable))),
        new("an env script whose program is not on PATH", "tool", "MOD4093",
            f => f.TopEntries.Add(TarLayer.File("usr/local/bin/tool", "#!/usr/bin/env node\n", Executable))),
        new("assignments before a program the image lacks", "PORT=8080 NODE_ENV=production node server.js", "MOD4090", _ => { }),
        new("a builtin first: start's exec cannot run cd", "cd /srv && ./run", "MOD4090", _ => { }),
        new("a second exec: start already runs the line with exec", "exec /bin/sh -c true", "MOD4090", _ => { }),
        new("a program that arrives with the app in /mnt/app", "./server --port $PORT", null, _ => { }),
        new("a program named by a variable", "$APP_BIN serve", null, _ => { }),
        new("sh -c: sh is proven", "sh -c 'gunicorn app:app'", null, _ => { }),
    ];

    [TestCaseSource(nameof(Cases))]
    public void The_program_a_start_command_runs_is_proven(ProofCase c)
    {
        var fixture = new RunImageFixture { Start = StartSpec.FromCommand(c.Command) };
        c.Prepare(fixture);

        var diagnostics = fixture.Validate();

        if (c.Code is null)
        {
            diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
            return;
        }
        var diagnostic = diagnostics.ShouldHaveSingleItem(string.Join("\n", diagnostics));
        diagnostic.Code.ShouldBe(c.Code, diagnostic.Message);
        diagnostic.Subject.ShouldBe(ContractSubject.Start);
        diagnostic.Message.ShouldContain($"'{c.Command}'");
    }

    [Test]
    public void A_missing_program_is_named_with_the_path_it_was_looked_for_on()
    {
        var diagnostic = new RunImageFixture { Start = StartSpec.FromCommand("gunicorn app:app") }.Validate().ShouldHaveSingleItem();

        diagnostic.Message.ShouldContain("runs 'gunicorn', which is not in the image: no file 'gunicorn' in any folder of mop's PATH (/opt/modulus/bin:/usr/local/bin:/usr/bin:/bin)");
    }

    [TestCase("#!/bin/sh\nexec app\n", null, TestName = "A start script with #!/bin/sh is proven")]
    [TestCase("#!/usr/bin/ruby\nexec 'app'\n", "starts with #!/usr/bin/ruby, /usr/bin/ruby is not a file in the image that mop can execute", TestName = "A start script whose interpreter is missing is MOD4094")]
    [TestCase("exec app\n", "has no #! line", TestName = "A start script without a #! line is MOD4094")]
    public void The_interpreter_of_a_start_script_is_proven(string script, string? problem)
    {
        using var temp = new TempDirectory("start-proof");
        var path = temp.Combine("start");
        File.WriteAllText(path, script);

        var diagnostics = new RunImageFixture { Start = StartSpec.FromScript(path) }.Validate();

        if (problem is null)
        {
            diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
            return;
        }
        var diagnostic = diagnostics.ShouldHaveSingleItem(string.Join("\n", diagnostics));
        diagnostic.Code.ShouldBe("MOD4094");
        diagnostic.Subject.ShouldBe(ContractSubject.Start);
        diagnostic.Message.ShouldContain(problem);
    }

    [TestCase("gunicorn app:app", "gunicorn")]
    [TestCase("  PORT=8080 'my tool' --x", "my tool")]
    [TestCase("A=\"$HOME/x\" /usr/bin/env node", "node")]
    [TestCase("env -i -u HOME FOO=1 node app.js", "node")]
    [TestCase("command -p node app.js", "command")]
    [TestCase("exec node", "exec")]
    [TestCase("export X=1; node app.js", "export")]
    [TestCase("if true; then node; fi", "if")]
    [TestCase("(node app.js)", null)]
    [TestCase("\"$NODE\" app.js", null)]
    [TestCase("no\\ de app.js", "no de")]
    public void The_program_of_a_command_line_is_its_first_word_the_shell_runs(string line, string? program) =>
        StartProgram.Of(line).ShouldBe(program);
}
