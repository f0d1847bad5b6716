using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.Extensions.Configuration;

namespace SellerDesk.Ingestion.Connections;

/// <summary>
/// The certificate that encrypts the Data Protection key ring (the keys that encrypt marketplace credentials), kept
/// outside the database so a dump of it decrypts nothing: <c>DataProtection:CertificatePath</c> (a PKCS#12 file with
/// <c>DataProtection:CertificatePassword</c>, or a PEM certificate with its key in <c>DataProtection:CertificateKeyPath</c>
/// or the same file), and for rotation <c>DataProtection:PreviousCertificates:N:Path</c> (and <c>:Password</c>,
/// <c>:KeyPath</c>), certificates that only decrypt older keys. See docs/decisions/0019-hardening.md.
/// </summary>
public sealed class KeyRingProtection
{
    public const string Section = "DataProtection";

    private KeyRingProtection(X509Certificate2? certificate, IReadOnlyList<X509Certificate2> previous)
    {
        Certificate = certificate;
        Previous = previous;
    }

    /// <summary>None: keys are stored unencrypted (a warning at start-up; refused once the ring holds encrypted keys).</summary>
    public static KeyRingProtection None { get; } = new(null, []);

    /// <summary>Encrypts new keys and decrypts those it encrypted.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Decrypt keys encrypted before a rotation.</summary>
    public IReadOnlyList<X509Certificate2> Previous { get; }

    public static KeyRingProtection With(X509Certificate2 certificate, params X509Certificate2[] previous) => new(certificate, previous);

    /// <summary>Reads the certificates named in configuration; a named file that cannot be used stops start-up saying why.</summary>
    public static KeyRingProtection FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        if (string.IsNullOrWhiteSpace(section["CertificatePath"]))
        {
            return None;
        }

        var current = Load(section, "DataProtection:CertificatePath");
        var previous = section.GetSection("PreviousCertificates").GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c["Path"]))
            .Select(c => Load(c, $"DataProtection:PreviousCertificates:{c.Key}:Path"))
            .ToList();
        return new KeyRingProtection(current, previous);
    }

    /// <summary>Thumbprints (SHA-1, upper-case hex, as .NET shows them) of the certificates each encrypted key names.</summary>
    public static IReadOnlyList<string> EncryptingThumbprints(IEnumerable<XElement> keyRing) =>
    [
        .. keyRing
            .SelectMany(k => k.Descendants().Where(e => e.Name.LocalName == "X509Certificate"))
            .Select(e => Thumbprint(e.Value))
            .Distinct(StringComparer.Ordinal),
    ];

    /// <summary>True when a stored key's secret is still in clear (it carries the <c>requiresEncryption</c> mark).</summary>
    public static bool IsPlain(XElement key) =>
        key.Descendants().Any(e => e.Attributes().Any(a => a.Name.LocalName == "requiresEncryption" && a.Value == "true"));

    public static bool IsEncrypted(XElement key) => key.Descendants().Any(e => e.Name.LocalName == "encryptedSecret");

    /// <summary>
    /// Refuses a key ring this node cannot use, in words an operator can act on: encrypted keys and no certificate,
    /// or a newest encrypted key whose certificate is not among those given.
    /// </summary>
    public void EnsureCanRead(IReadOnlyCollection<XElement> keyRing)
    {
        ArgumentNullException.ThrowIfNull(keyRing);
        var encrypted = keyRing.Where(IsEncrypted).ToList();
        if (encrypted.Count == 0)
        {
            return;
        }

        var needed = EncryptingThumbprints([encrypted[^1]]);
        if (Certificate is null)
        {
            throw new KeyRingCertificateException(
                $"The Data Protection key ring in the database is encrypted with a certificate (thumbprint {string.Join(", ", needed)}), "
                + "but this node was given none: set DataProtection:CertificatePath (and DataProtection:CertificatePassword) to that certificate. "
                + "Without it the stored marketplace credentials cannot be read and no new key is written in clear.");
        }

        var given = new[] { Certificate }.Concat(Previous).Select(c => c.Thumbprint).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = needed.Where(t => !given.Contains(t)).ToList();
        if (missing.Count > 0)
        {
            throw new KeyRingCertificateException(
                $"The newest Data Protection key is encrypted with certificate {string.Join(", ", missing)}, which this node was not given "
                + $"(it has {string.Join(", ", given)}): set DataProtection:CertificatePath to it, or list it under "
                + "DataProtection:PreviousCertificates when a new certificate has taken over.");
        }
    }

    private static string Thumbprint(string base64)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(base64.Trim()));
        return certificate.Thumbprint;
    }

    private static X509Certificate2 Load(IConfiguration section, string name)
    {
        var path = section["CertificatePath"] ?? section["Path"]!;
        var password = section["CertificatePassword"] ?? section["Password"];
        var keyPath = section["CertificateKeyPath"] ?? section["KeyPath"];
        X509Certificate2 certificate;
        try
        {
            var pem = path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase);
            certificate = pem
                ? (password is { Length: > 0 }
                    ? X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath ?? path)
                    : X509Certificate2.CreateFromPemFile(path, keyPath ?? path))
                : X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new KeyRingCertificateException($"{name} '{path}' cannot be used to encrypt the Data Protection key ring: {ex.Message}", ex);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new KeyRingCertificateException($"{name} '{path}' has no private key: the key ring could be encrypted but never read again.");
        }

        return certificate;
    }
}

/// <summary>The key ring's certificate is missing, unreadable or not the one the stored keys need.</summary>
public sealed class KeyRingCertificateException : InvalidOperationException
{
    public KeyRingCertificateException(string message)
        : base(message)
    {
    }

    public KeyRingCertificateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KeyRingCertificateException()
    {
    }
}
