using System.Collections;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Modulus.Diagnostics;
using Modulus.Pipeline;
using Modulus.MSBuild;

namespace Modulus.Tests.Diagnostics;

/// <summary>What the one adapter from the core's build log to MSBuild's log makes of lines and diagnostics.</summary>
public class TaskBuildLogTests
{
    private const string Project = "/work/app/app.csproj";

    private Engine _engine = null!;
    private TaskBuildLog _log = null!;

    [SetUp]
    public void NewLog()
    {
        _engine = new Engine();
        _log = new TaskBuildLog(new TaskLoggingHelper(_engine, "PublishModulusImage"), Project);
    }

    [Test]
    public void The_step_an_error_came_from_is_told_in_the_detailed_log_and_not_in_the_error()
    {
        var error = Should.Throw<ModulusException>(() =>
            Located.Run(_ => new SourceLocation("/work/app/packages.props", 4), () => Fail(), "Debian"));

        _log.Report(Diagnostic.Of(error));

        var logged = _engine.Errors.ShouldHaveSingleItem();
        (logged.Code, logged.File, logged.LineNumber, logged.Message).ShouldBe(
            ("MOD3008", "/work/app/packages.props", 4, Errors.DebianPackageNotFound.Text("curlx", "amd64", "bookworm")));
        var detail = _engine.Messages.ShouldHaveSingleItem();
        detail.Importance.ShouldBe(MessageImportance.Low);
        detail.Message.ShouldBe("MOD3008 came from the publish step 'Debian'.");
    }

    [Test]
    public void A_warning_no_input_caused_is_shown_at_the_project_file()
    {
        _log.Warn(Errors.DebianSignaturesNotVerified, SourceLocation.Unknown, "http://mirror.test/debian");

        var warning = _engine.Warnings.ShouldHaveSingleItem();
        (warning.Code, warning.File, warning.LineNumber).ShouldBe(("MOD3017", Project, 0));
        warning.Message.ShouldStartWith("Debian package indexes from 'http://mirror.test/debian' are used without");
        _engine.Messages.ShouldBeEmpty("a warning names no step");
    }

    [Test]
    public void A_diagnostic_at_a_command_line_property_is_shown_as_MSBuild_shows_its_own()
    {
        _log.Report(Diagnostic.Failure(Errors.InvalidTag, new SourceLocation("-p:ContainerImageTag"), "Bad!Tag"));

        var error = _engine.Errors.ShouldHaveSingleItem();
        error.File.ShouldBe("MSBUILD");
        error.Message.ShouldEndWith("(-p:ContainerImageTag was set on the command line)");
    }

    [TestCase(Importance.Summary, MessageImportance.High, Description = "shown at minimal verbosity")]
    [TestCase(Importance.Progress, MessageImportance.Normal)]
    [TestCase(Importance.Detail, MessageImportance.Normal)]
    public void Lines_keep_the_verbosity_they_had(Importance importance, MessageImportance expected)
    {
        _log.Write(importance, "Publishing image team/app:latest");

        _engine.Messages.ShouldHaveSingleItem().Importance.ShouldBe(expected);
    }

    private static int Fail() => throw new ModulusException(Errors.DebianPackageNotFound, "curlx", "amd64", "bookworm");

    /// <summary>Keeps the events a task logs.</summary>
    private sealed class Engine : IBuildEngine
    {
        public List<BuildErrorEventArgs> Errors { get; } = [];

        public List<BuildWarningEventArgs> Warnings { get; } = [];

        public List<BuildMessageEventArgs> Messages { get; } = [];

        public bool ContinueOnError => false;

        public int LineNumberOfTaskNode => 0;

        public int ColumnNumberOfTaskNode => 0;

        public string ProjectFileOfTaskNode => Project;

        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);

        public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);

        public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e);

        public void LogCustomEvent(CustomBuildEventArgs e)
        {
        }

        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => false;
    }
}
