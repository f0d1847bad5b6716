using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;

namespace SellerDesk.Bench.Steps;

/// <summary>The machine, the app's source and the PostgreSQL server the figures were measured on, printed first and in the summary.</summary>
internal static class MachineInfo
{
    /// <summary>The commit of the app's source, and how many files under src/ differ from it.</summary>
    private static async Task<string> SourceAsync()
    {
        var directory = Path.GetDirectoryName(AppProcess.WebDll());
        // .git is a folder in a clone and a file in a worktree (git worktree add).
        while (directory is not null && !Directory.Exists(Path.Combine(directory, ".git")) && !File.Exists(Path.Combine(directory, ".git")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        if (directory is null)
        {
            return "?";
        }

        async Task<string> GitAsync(params string[] arguments)
        {
            var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-C");
            start.ArgumentList.Add(directory);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var git = Process.Start(start)!;
            var output = await git.StandardOutput.ReadToEndAsync();
            await git.WaitForExitAsync();
            return output.Trim();
        }

        try
        {
            var commit = await GitAsync("rev-parse", "--short", "HEAD");
            var changed = (await GitAsync("status", "--porcelain", "--", "src")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            return changed == 0 ? $"commit {commit}, src/ clean" : $"commit {commit} + {changed} uncommitted file(s) under src/";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "? (git not found)";
        }
    }

    public static async Task<List<(string Name, string Value)>> ReadAsync(BenchOptions options)
    {
        string Cpu() => File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        string Ram()
        {
            var kb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return $"{long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0:0.0} GiB";
        }

        string Os() => File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? "?"
            : RuntimeInformation.OSDescription;

        await using var connection = new NpgsqlConnection(options.Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT current_setting('server_version'),
                   format('shared_buffers=%s work_mem=%s maintenance_work_mem=%s max_wal_size=%s synchronous_commit=%s wal_level=%s huge_pages=%s',
                          current_setting('shared_buffers'), current_setting('work_mem'), current_setting('maintenance_work_mem'),
                          current_setting('max_wal_size'), current_setting('synchronous_commit'), current_setting('wal_level'),
                          current_setting('huge_pages'))
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return
        [
            ("date", DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)),
            ("cpu", $"{Environment.ProcessorCount} x {Cpu()} (nproc {Environment.ProcessorCount})"),
            ("ram", Ram()),
            ("os", $"{Os()}, {RuntimeInformation.FrameworkDescription}"),
            ("load avg", File.ReadAllText("/proc/loadavg").Trim() + " (at start)"),
            ("source", await SourceAsync()),
            ("postgresql", reader.GetString(0) + " (same machine)"),
            ("pg settings", reader.GetString(1)),
            ("huge pages", HugePages()),
        ];
    }

    /// <summary>
    /// The machine's 2 MB pages and how many are taken (/proc/meminfo): PostgreSQL on the same machine maps its shared
    /// buffers on them when they are reserved (sysctl vm.nr_hugepages) and huge_pages is try or on. Without them every
    /// new connection's backend pays a page fault per 4 kB of shared buffers it first touches (docs/scaling.md).
    /// </summary>
    private static string HugePages()
    {
        long Value(string name) => long.Parse(
            File.ReadLines("/proc/meminfo").First(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            CultureInfo.InvariantCulture);
        var total = Value("HugePages_Total");
        var taken = total - Value("HugePages_Free") + Value("HugePages_Rsvd");
        return total == 0 ? "none reserved (vm.nr_hugepages 0): shared buffers on 4 kB pages" : $"{taken} of {total} reserved 2 MB pages in use or reserved";
    }
}
