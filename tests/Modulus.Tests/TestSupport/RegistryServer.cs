using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// A real registry (the distribution project's docker-registry) on 127.0.0.1 with a free port and
/// its own storage folder, stopped by its PID on dispose. <paramref name="authSection"/> is the
/// YAML under <c>auth:</c> (htpasswd or token), or null for an open registry; with
/// <paramref name="tls"/> (PEM certificate and key files) it serves HTTPS only.
/// </summary>
public sealed class RegistryServer : IDisposable
{
    private readonly TempDirectory _folder = new("registry");
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly bool _tls;
    private readonly bool _clientAuthentication;

    private RegistryServer(string? authSection, (string CertificatePath, string KeyPath)? tls, string? clientAuthorityPath)
    {
        Port = FreePort();
        _tls = tls is not null;
        _clientAuthentication = clientAuthorityPath is not null;
        var config = _folder.WriteFile("config.yml", $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {_folder.Combine("storage")}
              delete:
                enabled: true
              maintenance:
                uploadpurging:
                  enabled: false
            http:
              addr: 127.0.0.1:{Port}
              secret: modulus-tests-upload-state
            {(tls is { } t ? $"  tls:\n    certificate: {t.CertificatePath}\n    key: {t.KeyPath}" : string.Empty)}
            {(clientAuthorityPath is null ? string.Empty : $"    clientcas:\n      - {clientAuthorityPath}")}
            {(authSection is null ? string.Empty : "auth:\n" + Indent(authSection))}
            """);
        var info = new ProcessStartInfo(Tools.Require("docker-registry"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add(config);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilServing();
    }

    /// <summary>
    /// Starts a registry; with <paramref name="tls"/> it serves HTTPS, and with
    /// <paramref name="clientAuthorityPath"/> (a PEM CA) it takes only clients with a certificate that CA signed.
    /// </summary>
    public static RegistryServer Start(string? authSection = null, (string CertificatePath, string KeyPath)? tls = null, string? clientAuthorityPath = null) =>
        new(authSection, tls, clientAuthorityPath);

    public int Port { get; }

    /// <summary>The filesystem driver's root folder, where a test may damage a blob as a failing disk would.</summary>
    public string StorageRoot => _folder.Combine("storage");

    /// <summary>host:port, as written in image references.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void WaitUntilServing()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) break;
            try
            {
                // A registry that wants client certificates answers no anonymous request: it is up when it listens.
                if (_clientAuthentication)
                {
                    using var client = new System.Net.Sockets.TcpClient();
                    client.Connect(IPAddress.Loopback, Port);
                    return;
                }
                using var response = http.GetAsync($"{(_tls ? "https" : "http")}://{Address}/v2/").GetAwaiter().GetResult();
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException)
            {
                Thread.Sleep(100);
            }
        }
        var output = Output;
        Dispose();
        Assert.Fail($"docker-registry did not start on {Address}:\n{output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static string Indent(string yaml) =>
        string.Join('\n', yaml.Split('\n').Select(l => "  " + l));

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        _folder.Dispose();
    }
}
