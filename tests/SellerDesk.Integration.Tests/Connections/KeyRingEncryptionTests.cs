using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SellerDesk.Data;
using SellerDesk.Ingestion;
using SellerDesk.Ingestion.Connections;
using SellerDesk.Testing;

namespace SellerDesk.Integration.Tests.Connections;

/// <summary>
/// The Data Protection key ring is encrypted with a certificate kept outside the database (issue 10, hardening): a
/// dump of the database holds no key in clear, a node given the certificate reads the credentials, a node without it
/// (or with another one) says so plainly instead of writing a key in clear.
/// </summary>
public sealed class KeyRingEncryptionTests : IAsyncLifetime, IDisposable
{
    private static readonly Dictionary<string, string> Credentials = new() { ["token"] = "wb-token-behind-a-certificate-71af" };

    private readonly string _directory = Directory.CreateTempSubdirectory("sellerdesk-keyring-").FullName;
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task With_a_certificate_the_stored_keys_hold_no_key_material_in_clear_and_a_node_given_it_reads_the_credentials()
    {
        var certificate = CreateCertificate("current", "pfx password");
        string stored;
        await using (var first = Node(Settings(certificate, "pfx password")))
        {
            stored = first.GetRequiredService<CredentialProtector>().Protect(Credentials);
        }

        var keys = await KeysAsync();
        keys.Should().ContainSingle();
        keys[0].Should().Contain("<encryptedSecret").And.Contain("EncryptedData");
        keys[0].Should().NotContain("<masterKey").And.NotContain("requiresEncryption");

        await using var second = Node(Settings(certificate, "pfx password"));
        second.GetRequiredService<CredentialProtector>().Unprotect(stored).Should().BeEquivalentTo(Credentials);
    }

    [Fact]
    public async Task Without_the_certificate_a_node_fails_clearly_and_writes_no_key_in_clear()
    {
        var certificate = CreateCertificate("current", "pw");
        string stored;
        await using (var node = Node(Settings(certificate, "pw")))
        {
            stored = node.GetRequiredService<CredentialProtector>().Protect(Credentials);
        }

        await using var bare = Node([]);
        var protector = bare.GetRequiredService<CredentialProtector>();

        protector.Invoking(p => p.Unprotect(stored)).Should().Throw<KeyRingCertificateException>()
            .WithMessage("*encrypted with a certificate*DataProtection:CertificatePath*");
        protector.Invoking(p => p.Protect(Credentials)).Should().Throw<KeyRingCertificateException>();
        (await KeysAsync()).Should().ContainSingle().Which.Should().NotContain("<masterKey");

        var stranger = CreateCertificate("stranger", "pw");
        await using var wrong = Node(Settings(stranger, "pw"));
        wrong.GetRequiredService<CredentialProtector>().Invoking(p => p.Unprotect(stored)).Should().Throw<KeyRingCertificateException>()
            .WithMessage("*was not given*PreviousCertificates*");
    }

    [Fact]
    public async Task Keys_stored_in_clear_before_are_encrypted_in_place_when_a_certificate_is_given_and_old_credentials_stay_readable()
    {
        string stored;
        await using (var before = Node([]))
        {
            stored = before.GetRequiredService<CredentialProtector>().Protect(Credentials);
        }

        (await KeysAsync()).Single().Should().Contain("<masterKey");

        var certificate = CreateCertificate("current", "pw");
        await using var after = Node(Settings(certificate, "pw"));
        after.GetRequiredService<CredentialProtector>().Unprotect(stored).Should().BeEquivalentTo(Credentials);

        var key = (await KeysAsync()).Single();
        key.Should().Contain("<encryptedSecret").And.NotContain("<masterKey");
    }

    [Fact]
    public async Task After_a_rotation_the_previous_certificate_still_decrypts_the_older_key()
    {
        var old = CreateCertificate("old", "pw");
        string stored;
        await using (var node = Node(Settings(old, "pw")))
        {
            stored = node.GetRequiredService<CredentialProtector>().Protect(Credentials);
        }

        var next = CreateCertificate("next", "pw");
        var rotated = Settings(next, "pw");
        rotated["DataProtection:PreviousCertificates:0:Path"] = old;
        rotated["DataProtection:PreviousCertificates:0:Password"] = "pw";

        // The newest key is still the old certificate's: the new one alone is refused, the pair reads it.
        await using (var alone = Node(Settings(next, "pw")))
        {
            alone.GetRequiredService<CredentialProtector>().Invoking(p => p.Unprotect(stored)).Should().Throw<KeyRingCertificateException>();
        }

        await using var rotatedNode = Node(rotated);
        rotatedNode.GetRequiredService<CredentialProtector>().Unprotect(stored).Should().BeEquivalentTo(Credentials);
    }

    [Fact]
    public void A_certificate_file_that_cannot_be_read_stops_start_up_saying_which_setting()
    {
        var certificate = CreateCertificate("current", "right");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(certificate, "wrong")).Build();

        var load = () => KeyRingProtection.FromConfiguration(configuration);

        load.Should().Throw<KeyRingCertificateException>().WithMessage("DataProtection:CertificatePath*cannot be used*");
    }

    private static Dictionary<string, string?> Settings(string path, string password) => new()
    {
        ["DataProtection:CertificatePath"] = path,
        ["DataProtection:CertificatePassword"] = password,
    };

    private string CreateCertificate(string name, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=SellerDesk key ring {name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_directory, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    /// <summary>A node's services as the app registers them, with these settings.</summary>
    private ServiceProvider Node(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSellerDeskData(_database.ConnectionString);
        services.AddSellerDeskIngestion();
        services.AddSellerDeskPulls(_database.ConnectionString, new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true });
    }

    private async Task<List<string>> KeysAsync()
    {
        await using var command = _database.DataSource.CreateCommand("SELECT xml FROM data_protection_keys ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
