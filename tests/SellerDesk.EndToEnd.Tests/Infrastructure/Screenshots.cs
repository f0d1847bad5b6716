using Microsoft.Playwright;

namespace SellerDesk.EndToEnd.Tests.Infrastructure;

/// <summary>Full-page screenshots in tests/SellerDesk.EndToEnd.Tests/TestResults/screenshots/ (gitignored), to look at.</summary>
public static class Screenshots
{
    public static string Folder { get; } = FindFolder();

    public static async Task SaveAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        // A full-page capture of a scrolled page draws the fixed app bar and drawer where the window was, in the middle
        // of the image: the page is captured from its top, as a user first sees it.
        await page.EvaluateAsync("window.scrollTo(0, 0)");
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
