using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using SellerDesk.Ingestion.Connections;

namespace SellerDesk.Integration.Tests.Hardening;

/// <summary>
/// What ships to run the app: docker-compose.yml holds no password and publishes on 127.0.0.1 with the demo off, and
/// the key-ring certificate scripts/run.sh makes is owner-only and loads as the app loads it.
/// </summary>
public sealed class DeploymentFilesTests : IDisposable
{
    private static readonly string Root = FindRoot();
    private readonly string _directory = Directory.CreateTempSubdirectory("sellerdesk-cert-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Docker_compose_has_no_fixed_password_publishes_on_loopback_and_leaves_the_demo_off()
    {
        var compose = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));

        compose.Should().NotContainAny("POSTGRES_PASSWORD: sellerdesk", "Password=sellerdesk");
        compose.Should().Contain("${POSTGRES_PASSWORD:?");
        compose.Should().Contain("\"${SELLERDESK_BIND:-127.0.0.1}:5080:5080\"");
        compose.Should().Contain("Demo__Seed: \"${SELLERDESK_DEMO:-false}\"");
        compose.Should().Contain("DataProtection__CertificatePath");

        File.ReadAllText(Path.Combine(Root, ".env.example")).Should().Contain("POSTGRES_PASSWORD=\n");
        File.ReadAllLines(Path.Combine(Root, ".gitignore")).Should().Contain(".env");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_script_made_certificate_is_owner_only_and_loads_as_the_key_ring_certificate()
    {
        var path = Path.Combine(_directory, "keys", "dataprotection.pfx");
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(Root, "scripts", "make-key-certificate.sh"));
        start.ArgumentList.Add(path);
        start.ArgumentList.Add("a password from the test");
        using (var script = Process.Start(start)!)
        {
            await script.WaitForExitAsync();
            script.ExitCode.Should().Be(0, await script.StandardError.ReadToEndAsync());
        }

        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var written = await File.ReadAllBytesAsync(path);

        var protection = KeyRingProtection.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = path,
            ["DataProtection:CertificatePassword"] = "a password from the test",
        }).Build());
        protection.Certificate!.HasPrivateKey.Should().BeTrue();

        using (var again = Process.Start(start)!)
        {
            await again.WaitForExitAsync();
        }

        (await File.ReadAllBytesAsync(path)).Should().Equal(written, "a second run keeps the certificate (and every key it encrypted)");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SellerDesk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SellerDesk.sln not found above " + AppContext.BaseDirectory);
    }
}
