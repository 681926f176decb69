using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Modulus.Diagnostics;

namespace Modulus.Registry;

/// <summary>
/// Which server certificates one registry's connections accept: what the system trusts; for the
/// registry's own host also what a CA in Docker's certs.d folder for it signed
/// (<c>/etc/docker/certs.d/HOST[:PORT]/*.crt</c>, as the Docker daemon reads it); and anything
/// at all from the registry's own host when it is insecure (loopback or listed). A certificate
/// issued for another name is never accepted from a secure registry, whichever CA signed it.
/// The same folder's client certificates (<c>NAME.cert</c> with <c>NAME.key</c>, as Docker reads
/// them) are offered to a registry that asks for one.
/// </summary>
internal sealed class RegistryTrust
{
    private readonly string _registry;
    private readonly bool _insecure;
    private readonly X509Certificate2Collection _authorities;
    private volatile string? _refusal;
    private readonly string? _unreadable;

    public RegistryTrust(string registry, bool insecure, RegistryOptions options)
    {
        _registry = registry;
        _insecure = insecure;
        CertificatesFolder = Path.Combine(options.DockerCertsDirectory, registry);
        // Read once, up front, so a broken CA file fails as itself rather than inside a handshake.
        _authorities = insecure ? [] : ReadAuthorities(CertificatesFolder, registry);
        ClientCertificates = ReadClientCertificates(CertificatesFolder, registry, out _unreadable);
    }

    /// <summary>
    /// Offers the client certificate to the registry's own host only, as Docker does: its token
    /// service and blob storage (redirects) may ask for one too, and get none.
    /// </summary>
    public X509Certificate? SelectClientCertificate(object sender, string targetHost, X509CertificateCollection local, X509Certificate? remote, string[] issuers) =>
        ClientCertificates.Count > 0 && string.Equals(targetHost.Trim('[', ']'), RegistryHosts.HostOf(RegistryHosts.ApiHost(_registry)), StringComparison.OrdinalIgnoreCase)
            ? ClientCertificates[0]
            : null;

    /// <summary>The client certificates, with their keys, of the certs.d folder; empty when it holds none.</summary>
    public X509Certificate2Collection ClientCertificates { get; }

    /// <summary>
    /// Why a server that refused the handshake with an alert of its own (no certificate of ours
    /// failed here) did so: it wants a client certificate; null for another failure.
    /// </summary>
    public string? ClientCertificateRefusal(Exception e)
    {
        if (_refusal is not null || !Http.TransientFailure.RefusesClientCertificate(e)) return null;
        return ClientCertificates.Count == 0
            ? _unreadable ?? $"{CertificatesFolder} holds no client certificate"
            : $"it refused the one in {CertificatesFolder} ({ClientCertificates[0].Subject}, valid until {ClientCertificates[0].NotAfter.ToUniversalTime():yyyy-MM-dd})";
    }

    /// <summary>Where CA certificates for this registry are looked for.</summary>
    public string CertificatesFolder { get; }

    /// <summary>Why the last certificate refused was refused, naming its host; null while none was.</summary>
    public string? Refusal => _refusal;

    /// <summary>The handshake's verdict; its sender is the SslStream or the request.</summary>
    public bool Accept(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        var host = HostOf(sender);
        var isRegistry = string.Equals(host, RegistryHosts.HostOf(RegistryHosts.ApiHost(_registry)), StringComparison.OrdinalIgnoreCase);
        // An insecure registry may use a certificate nobody signed: that is what listing it means.
        // Only the registry itself: its token service and blob storage hosts are still verified.
        if (isRegistry && _insecure) return true;
        if (isRegistry && errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null
            && _authorities.Count > 0 && SignedByAuthority(certificate, chain))
            return true;
        _refusal = Describe(host ?? "the server", errors, chain);
        return false;
    }

    private bool SignedByAuthority(X509Certificate certificate, X509Chain? sent)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Intermediates the server sent count, as they do for the system's own check.
        foreach (var element in sent?.ChainElements.Skip(1) ?? []) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    private string Describe(string host, SslPolicyErrors errors, X509Chain? chain)
    {
        var reasons = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) reasons.Add("it sent no certificate");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) reasons.Add($"its certificate was not issued for {host}");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = string.Join(", ", chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct() ?? []);
            var authorities = _authorities.Count > 0
                ? $"the system nor the CA certificates in {CertificatesFolder}"
                : $"the system (and {CertificatesFolder} holds no CA certificate)";
            reasons.Add($"its certificate is signed by no authority that {authorities} trusts" + (statuses.Length > 0 ? $" ({statuses})" : string.Empty));
        }
        return $"{host}: " + string.Join("; ", reasons);
    }

    private static string? HostOf(object sender) => (sender switch
    {
        SslStream stream => stream.TargetHostName,
        HttpRequestMessage { RequestUri: { } uri } => uri.Host,
        _ => null,
    })?.Trim('[', ']');

    /// <summary>
    /// Every <c>NAME.cert</c> of the folder with its <c>NAME.key</c> (both PEM), in name order; a
    /// certificate without its key, or a key without its certificate, is MOD1030 as Docker refuses it.
    /// </summary>
    private static X509Certificate2Collection ReadClientCertificates(string folder, string registry, out string? unreadable)
    {
        unreadable = null;
        var certificates = new X509Certificate2Collection();
        if (!Directory.Exists(folder)) return certificates;
        foreach (var key in Directory.EnumerateFiles(folder, "*.key").Order(StringComparer.Ordinal))
            if (!File.Exists(Path.ChangeExtension(key, ".cert")))
                throw new ModulusException(Errors.RegistryClientCertificateInvalid, key, registry, $"there is no {Path.GetFileNameWithoutExtension(key)}.cert for this key");
        foreach (var file in Directory.EnumerateFiles(folder, "*.cert").Order(StringComparer.Ordinal))
        {
            var key = Path.ChangeExtension(file, ".key");
            if (!File.Exists(key))
                throw new ModulusException(Errors.RegistryClientCertificateInvalid, file, registry, $"its key {Path.GetFileName(key)} is missing");
            try
            {
                // The Docker daemon reads certs.d as root; a key only root may read is no error for a
                // registry that never asks for it, and is named if one does (MOD1031).
                if (!Readable(file) || !Readable(key))
                {
                    unreadable ??= $"this user may not read the client certificate {file} or its key";
                    continue;
                }
                var certificate = X509Certificate2.CreateFromPemFile(file, key);
                if (!certificate.HasPrivateKey) throw new CryptographicException("the key does not belong to the certificate");
                certificates.Add(certificate);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new ModulusException(Errors.RegistryClientCertificateInvalid, e, file, registry, e.Message);
            }
        }
        return certificates;
    }

    private static bool Readable(string path)
    {
        try
        {
            using var _ = File.OpenRead(path);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Every certificate in the folder's *.crt files (PEM, or one DER certificate), as Docker reads them.</summary>
    private static X509Certificate2Collection ReadAuthorities(string folder, string registry)
    {
        var authorities = new X509Certificate2Collection();
        if (!Directory.Exists(folder)) return authorities;
        foreach (var file in Directory.EnumerateFiles(folder, "*.crt").Order(StringComparer.Ordinal))
        {
            try
            {
                var before = authorities.Count;
                authorities.ImportFromPemFile(file);
                if (authorities.Count == before) authorities.Add(X509CertificateLoader.LoadCertificateFromFile(file));
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new ModulusException(Errors.RegistryCertificateAuthorityInvalid, e, file, registry, e.Message);
            }
        }
        return authorities;
    }
}
