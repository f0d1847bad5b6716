using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace SellerDesk.Ingestion.Connections;

/// <summary>
/// Encrypts connection credentials at rest with ASP.NET Core Data Protection (keys in PostgreSQL, shared by every
/// node) and decrypts them only when a pull needs them. The stored text never contains a credential in clear.
/// </summary>
public sealed class CredentialProtector(IDataProtectionProvider provider)
{
    /// <summary>The purpose string; changing it makes every stored credential unreadable.</summary>
    public const string Purpose = "SellerDesk.Connections.Credentials.v1";

    /// <summary>The purpose of account secrets (two-step sign-in keys and recovery codes); changing it loses them.</summary>
    public const string AccountSecretsPurpose = "SellerDesk.Accounts.Secrets.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    private readonly IDataProtector _accountSecrets = provider.CreateProtector(AccountSecretsPurpose);

    /// <summary>
    /// Encrypts an account secret with the same key ring as the credentials (kept in PostgreSQL, encrypted with the
    /// certificate outside it), under a purpose of its own.
    /// </summary>
    public string ProtectAccountSecret(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        try
        {
            return _accountSecrets.Protect(secret);
        }
        catch (CryptographicException ex) when (CertificateProblem(ex) is { } problem)
        {
            throw problem;
        }
    }

    /// <summary>The secret <see cref="ProtectAccountSecret"/> encrypted; throws <see cref="CryptographicException"/> when the key is gone.</summary>
    public string UnprotectAccountSecret(string protectedSecret)
    {
        ArgumentNullException.ThrowIfNull(protectedSecret);
        try
        {
            return _accountSecrets.Unprotect(protectedSecret);
        }
        catch (CryptographicException ex) when (CertificateProblem(ex) is { } problem)
        {
            throw problem;
        }
    }

    /// <summary>
    /// A Data Protection provider of its own, with its key ring in PostgreSQL (shared by every node, kept across
    /// restarts). Not the app-wide one: Blazor circuits and antiforgery must keep working while the database is
    /// down, and they would if their keys had to come from it. With a certificate (<see cref="KeyRingProtection"/>)
    /// the keys are stored encrypted with it, and keys stored in clear before are encrypted in place.
    /// </summary>
    public static IDataProtectionProvider CreateProvider(NpgsqlDataSource dataSource, KeyRingProtection? protection = null)
    {
        protection ??= KeyRingProtection.None;
        var services = new ServiceCollection();
        services.AddLogging();
        var dataProtection = services.AddDataProtection().SetApplicationName("SellerDesk.Connections");
        if (protection.Certificate is { } certificate)
        {
            dataProtection.ProtectKeysWithCertificate(certificate);
            dataProtection.UnprotectKeysWithAnyCertificate([certificate, .. protection.Previous]);
        }

        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new GuardedXmlRepository(new PostgresXmlRepository(dataSource), protection));
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }

    public string Protect(IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        try
        {
            return _protector.Protect(JsonSerializer.Serialize(credentials));
        }
        catch (CryptographicException ex) when (CertificateProblem(ex) is { } problem)
        {
            throw problem;
        }
    }

    /// <summary>The credentials; throws <see cref="CredentialsUnreadableException"/> when the key ring lost the key.</summary>
    public IReadOnlyDictionary<string, string> Unprotect(string protectedCredentials)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(protectedCredentials))
                ?? new Dictionary<string, string>();
        }
        catch (CryptographicException ex) when (CertificateProblem(ex) is { } problem)
        {
            throw problem;
        }
        catch (CryptographicException ex)
        {
            throw new CredentialsUnreadableException(ex);
        }
    }

    /// <summary>Data Protection wraps what the key ring's guard said; the operator should read it as it was said.</summary>
    private static KeyRingCertificateException? CertificateProblem(Exception ex)
    {
        for (var e = ex.InnerException; e is not null; e = e.InnerException)
        {
            if (e is KeyRingCertificateException problem)
            {
                return problem;
            }
        }

        return null;
    }
}

/// <summary>The stored credentials cannot be decrypted (the Data Protection key is gone): the user must enter them again.</summary>
public sealed class CredentialsUnreadableException : Exception
{
    public CredentialsUnreadableException(Exception inner)
        : base("the stored credentials can no longer be decrypted (the encryption key is missing): enter them again", inner)
    {
    }

    public CredentialsUnreadableException()
    {
    }

    public CredentialsUnreadableException(string message)
        : base(message)
    {
    }

    public CredentialsUnreadableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
