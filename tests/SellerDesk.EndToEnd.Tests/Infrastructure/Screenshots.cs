using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Infrastructure;

/// <summary>Full-page screenshots in tests/SellerDesk.EndToEnd.Tests/TestResults/screenshots/ (gitignored), to look at.</summary>
public static class Screenshots
{
    public static string Folder { get; } = FindFolder();

    public static async Task SaveAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png"), FullPage = true });
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SellerDesk.EndToEnd.Tests.csproj")))
            {
                var folder = Path.Combine(dir.FullName, "TestResults", "screenshots");
                Directory.CreateDirectory(folder);
                return folder;
            }
        }

        var fallback = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(fallback);
        return fallback;
    }
}
