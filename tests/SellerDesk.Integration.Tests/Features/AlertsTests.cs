using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using SellerDesk.Data;
using SellerDesk.Data.Entities;
using SellerDesk.Ingestion.Connectors.Wildberries;
using SellerDesk.Web.Auth;
using SellerDesk.Integration.Tests.Api;
using SellerDesk.Integration.Tests.Connections;
using SellerDesk.Testing;
using SellerDesk.Web.Features.Alerts;

namespace SellerDesk.Integration.Tests.Features;

/// <summary>
/// Alerts end to end over real sockets: an SMTP listener, a Telegram Bot API fake and a webhook receiver on this
/// machine, the app pointed at them. Ledger rows are dated yesterday (workspace zone) so the trailing windows see them.
/// </summary>
public sealed class AlertsTests(AlertsTests.Host host) : IClassFixture<AlertsTests.Host>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Each_condition_opens_one_alert_sent_to_its_recipients_not_again_while_it_holds_and_it_clears_when_it_no_longer_holds()
    {
        var (alerts, workspace, api) = await host.FreshAsync();
        await using var webhook = HttpFake.Webhook();
        var yesterday = Host.Yesterday;
        await Host.ImportAsync(api, "sales", $"""
            marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics,acquiring,other_fees
            own_store,AL-1,1,{yesterday:yyyy-MM-dd}T12:00:00+03:00,alert-c1,vk_ads,NOCOST-01,1,1000,0,100,0,0
            """);
        await Host.ImportAsync(api, "ad_spend", $"""
            date,marketplace,channel,amount
            {yesterday:yyyy-MM-dd},own_store,vk_ads,5000
            """);
        var mail = await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("email", "Finance", "finance@alerts.test", null, "en", false), default);
        var chat = await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("telegram", "Owner chat", "-100777", Host.BotToken, "ru", false), default);
        var hook = await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("webhook", "ERP", webhook.BaseAddress + "hooks/sellerdesk", null, "en", false), default);
        var floor = await alerts.SaveRuleAsync(workspace, null, AlertKinds.ProfitFloor, 0m, true, [mail.Id, chat.Id, hook.Id], default);
        await alerts.SaveRuleAsync(workspace, null, AlertKinds.MissingCost, null, true, [mail.Id], default);
        await alerts.SaveRuleAsync(workspace, null, AlertKinds.ChannelCut, null, true, [hook.Id], default);

        var first = await alerts.EvaluateAsync(workspace, default);

        first.Should().Be(new AlertEvaluation(Opened: 3, Cleared: 0, Sent: 5, Retrying: 0));
        var mails = await host.MailsToAsync("finance@alerts.test", 2);
        mails.Select(m => m.Data).Should().Contain(d => d.Contains("below the floor", StringComparison.Ordinal))
            .And.Contain(d => d.Contains("NOCOST-01", StringComparison.Ordinal));
        var telegram = (await host.Telegram.WaitForAsync(r => r.Text.Contains("-100777", StringComparison.Ordinal), 1, Wait)).Single();
        telegram.Path.Should().Be($"/bot{Host.BotToken}/sendMessage");
        using (var json = JsonDocument.Parse(telegram.Text))
        {
            json.RootElement.GetProperty("chat_id").GetString().Should().Be("-100777");
            json.RootElement.GetProperty("text").GetString().Should().Contain("ниже порога").And.Contain("-4").And.Contain("100,00");
        }

        var hooks = await webhook.WaitForAsync(_ => true, 2, Wait);
        hooks.Select(h => h.Path).Should().AllBe("/hooks/sellerdesk");
        hooks.Select(h => JsonDocument.Parse(h.Text).RootElement.GetProperty("alert").GetProperty("kind").GetString())
            .Should().BeEquivalentTo(AlertKinds.ProfitFloor, AlertKinds.ChannelCut);

        var again = await alerts.EvaluateAsync(workspace, default);

        again.Should().Be(new AlertEvaluation(0, 0, 0, 0));
        (await alerts.HistoryAsync(workspace, 100, default)).Should().HaveCount(3).And.OnlyContain(a => a.Open);

        await Host.ImportAsync(api, "costs", """
            sku,valid_from,unit_cost
            NOCOST-01,2020-01-01,100
            """);
        var afterCost = await alerts.EvaluateAsync(workspace, default);

        afterCost.Should().Be(new AlertEvaluation(Opened: 0, Cleared: 1, Sent: 0, Retrying: 0));
        var history = await alerts.HistoryAsync(workspace, 100, default);
        history.Single(a => a.Kind == AlertKinds.MissingCost).ClearedAt.Should().NotBeNull();
        history.Where(a => a.Kind != AlertKinds.MissingCost).Should().OnlyContain(a => a.Open);

        await alerts.SaveRuleAsync(workspace, floor, AlertKinds.ProfitFloor, -10_000m, true, [mail.Id, chat.Id, hook.Id], default);
        (await alerts.EvaluateAsync(workspace, default)).Cleared.Should().Be(1);
        await alerts.SaveRuleAsync(workspace, floor, AlertKinds.ProfitFloor, 0m, true, [], default);

        var reopened = await alerts.EvaluateAsync(workspace, default);

        reopened.Opened.Should().Be(1, "a condition that cleared and holds again is a new alert");
        (await alerts.HistoryAsync(workspace, 100, default)).Count(a => a.Kind == AlertKinds.ProfitFloor).Should().Be(2);
    }

    [Fact]
    public async Task A_webhook_that_is_down_gets_the_message_again_and_the_history_shows_the_failed_attempt_then_the_sent_one()
    {
        var (alerts, workspace, _) = await host.FreshAsync();
        await using var webhook = HttpFake.Webhook();
        var hook = await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("webhook", "Flaky", webhook.BaseAddress + "flaky", null, "en", false), default);
        await alerts.SaveRuleAsync(workspace, null, AlertKinds.ProfitFloor, 1_000_000m, true, [hook.Id], default);
        webhook.FailNext = 1;

        var result = await alerts.EvaluateAsync(workspace, default);

        result.Should().Be(new AlertEvaluation(Opened: 1, Cleared: 0, Sent: 0, Retrying: 1));
        (await webhook.WaitForAsync(r => r.Path == "/flaky", 2, Wait)).Should().HaveCount(2);
        DeliveryView? delivery = null;
        (await ConnectionsApi.EventuallyAsync(
            async () =>
            {
                delivery = (await alerts.HistoryAsync(workspace, 10, default)).Single().Deliveries.Single();
                return delivery.Status == "sent";
            },
            Wait)).Should().BeTrue();
        delivery!.Attempts.Should().Be(2);
        delivery.History.Select(h => h.Succeeded).Should().Equal(false, true);
        delivery.History[0].Error.Should().Contain("503");
        delivery.History[0].ErrorCode.Should().Be(AlertFailureCodes.WebhookRejected);
        delivery.History[0].ErrorArgs.Should().Equal("503", "down for a while");
    }

    [Fact]
    public async Task Failed_deliveries_keep_a_code_with_its_figures_for_a_refused_mail_recipient_a_revoked_bot_token_and_a_webhook_that_times_out()
    {
        var (alerts, workspace, _) = await host.FreshAsync();
        await using var slow = HttpFake.Webhook();
        slow.Delay = TimeSpan.FromSeconds(4);
        host.Smtp.RefusedRecipients["nobody@alerts.test"] = true;
        var telegram = host.Telegram.Answer;
        host.Telegram.Answer = r => r.Text.Contains("-100401", StringComparison.Ordinal)
            ? (401, """{"ok":false,"error_code":401,"description":"Unauthorized"}""")
            : telegram(r);
        var mail = await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("email", "Gone", "nobody@alerts.test", null, "en", false), default);
        var chat = await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("telegram", "Revoked bot", "-100401", Host.BotToken, "ru", false), default);
        var hook = await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("webhook", "Slow", slow.BaseAddress + "slow", null, "en", false), default);
        await alerts.SaveRuleAsync(workspace, null, AlertKinds.ProfitFloor, 1_000_000m, true, [mail.Id, chat.Id, hook.Id], default);

        var result = await alerts.EvaluateAsync(workspace, default);

        result.Should().Be(new AlertEvaluation(Opened: 1, Cleared: 0, Sent: 0, Retrying: 3));
        var first = (await alerts.HistoryAsync(workspace, 10, default)).Single().Deliveries
            .ToDictionary(d => d.RecipientName, d => d.History[0]);
        first["Gone"].ErrorCode.Should().Be(AlertFailureCodes.SmtpRecipientRefused);
        first["Gone"].ErrorArgs[0].Should().Be("nobody@alerts.test");
        first["Gone"].ErrorArgs[1].Should().StartWith("550 ").And.Contain("Recipient address rejected");
        first["Revoked bot"].ErrorCode.Should().Be(AlertFailureCodes.TelegramUnauthorized);
        first["Revoked bot"].ErrorArgs.Should().Equal("401", "Unauthorized");
        first["Revoked bot"].Error.Should().NotContain(Host.BotToken, "the token in the Bot API's address is never kept");
        first["Slow"].ErrorCode.Should().Be(AlertFailureCodes.WebhookTimeout);
        first["Slow"].ErrorArgs.Should().Equal("2");
        host.Smtp.Mails.Should().NotContain(m => m.To.Contains("nobody@alerts.test"));
    }

    [Theory]
    [InlineData("en-US", AlertFailureCodes.SmtpRecipientRefused, new[] { "x@y.test", "550 5.1.1 User unknown" }, "SMTP server refused the recipient x@y.test (550 5.1.1 User unknown)")]
    [InlineData("ru-RU", AlertFailureCodes.SmtpRecipientRefused, new[] { "x@y.test", "550 5.1.1 User unknown" }, "SMTP-сервер отказался принять получателя x@y.test (550 5.1.1 User unknown)")]
    [InlineData("en-US", AlertFailureCodes.TelegramUnauthorized, new[] { "401", "Unauthorized" }, "Telegram answered 401: bot token revoked or wrong")]
    [InlineData("ru-RU", AlertFailureCodes.TelegramUnauthorized, new[] { "401", "Unauthorized" }, "Telegram ответил 401: токен бота отозван или неверен")]
    [InlineData("en-US", AlertFailureCodes.WebhookTimeout, new[] { "15" }, "webhook timed out after 15 s")]
    [InlineData("ru-RU", AlertFailureCodes.WebhookTimeout, new[] { "15" }, "вебхук не ответил за 15 с")]
    public void A_failure_code_reads_in_plain_words_in_each_language(string culture, string code, string[] args, string words)
    {
        var localizer = host.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SellerDesk.Web.Resources.AlertResource>>();
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            localizer["Alerts.Error." + code, [.. args]].Value.Should().StartWith(words);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void Every_failure_code_has_words_of_its_own_in_english_and_in_russian()
    {
        var localizer = host.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SellerDesk.Web.Resources.AlertResource>>();
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            Dictionary<string, Microsoft.Extensions.Localization.LocalizedString> Words(string culture)
            {
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
                return AlertFailureCodes.All.ToDictionary(c => c, c => localizer["Alerts.Error." + c]);
            }

            var english = Words("en-US");
            var russian = Words("ru-RU");
            english.Values.Should().OnlyContain(w => !w.ResourceNotFound);
            foreach (var code in AlertFailureCodes.All)
            {
                russian[code].Value.Should().NotBe(english[code].Value, $"{code} has Russian words of its own");
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public async Task A_webhook_body_is_signed_with_hmac_sha256_of_its_bytes_under_the_secret_given_once()
    {
        var (alerts, workspace, _) = await host.FreshAsync();
        await using var webhook = HttpFake.Webhook();
        var hook = await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("webhook", "Signed", webhook.BaseAddress + "signed", null, "en", false), default);
        hook.GeneratedSecret.Should().MatchRegex("^[0-9a-f]{64}$");
        await alerts.SaveRuleAsync(workspace, null, AlertKinds.ProfitFloor, 1_000_000m, true, [hook.Id], default);

        await alerts.EvaluateAsync(workspace, default);

        var request = (await webhook.WaitForAsync(_ => true, 1, Wait)).Single();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(hook.GeneratedSecret!), request.Body));
        request.Headers["x-sellerdesk-signature"].Should().Be(expected);
        request.Headers["x-sellerdesk-event"].Should().Be("alert.opened");
        request.Headers["content-type"].Should().StartWith("application/json");
        using var body = JsonDocument.Parse(request.Body);
        body.RootElement.GetProperty("event").GetString().Should().Be("alert.opened");
        body.RootElement.GetProperty("delivery_id").GetString().Should().Be(request.Headers["x-sellerdesk-delivery"]);
        body.RootElement.GetProperty("alert").GetProperty("threshold").GetDecimal().Should().Be(1_000_000m);
        var tampered = request.Body.ToArray();
        tampered[^2] ^= 1;
        ("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(hook.GeneratedSecret!), tampered))).Should().NotBe(expected);
    }

    [Fact]
    public async Task A_failing_pull_opens_a_pull_problem_alert_through_the_pull_hook_without_anyone_asking()
    {
        var (alerts, workspace, api) = await host.FreshAsync();
        await alerts.SaveRuleAsync(workspace, null, AlertKinds.PullProblem, null, true, [], default);
        await using var refusing = await RefusingMarketplace.StartAsync();
        var (status, created, raw) = await ConnectionsApi.SendAsync(api, HttpMethod.Post, "/api/v1/connections", new
        {
            Marketplace = "wildberries",
            Name = "Alerting WB",
            Credentials = new Dictionary<string, string> { [WildberriesConnector.TokenKey] = "wb-alert-token-1" },
            BaseUrl = refusing.BaseUrl.ToString(),
            Schedule = new { Enabled = false },
            BackfillDays = 1,
        });
        status.Should().Be(HttpStatusCode.Created, raw);
        var connection = created.GetProperty("id").GetGuid();

        (await ConnectionsApi.EventuallyAsync(
            async () => (await alerts.HistoryAsync(workspace, 10, default)).Any(a => a.Kind == AlertKinds.PullProblem && a.Subject == connection.ToString("D")),
            TimeSpan.FromSeconds(60))).Should().BeTrue();
        (await alerts.HistoryAsync(workspace, 10, default)).Single().Text.En.Should().Contain("Pulls of connection Alerting WB fail");
    }

    [Fact]
    public async Task The_morning_digest_goes_once_a_day_by_mail_and_telegram_with_yesterday_the_week_before_channels_to_cut_and_open_alerts()
    {
        var (alerts, workspace, api) = await host.FreshAsync();
        var yesterday = Host.Yesterday;
        await Host.ImportAsync(api, "sales", $"""
            marketplace,order_id,line_id,ordered_at,customer_id,channel,sku,quantity,revenue,commission,logistics,acquiring,other_fees
            ozon,DG-1,1,{yesterday:yyyy-MM-dd}T12:00:00+03:00,digest-c1,organic,DG-SKU,1,2000,200,100,0,0
            ozon,DG-2,1,{yesterday.AddDays(-7):yyyy-MM-dd}T12:00:00+03:00,digest-c2,organic,DG-SKU,1,1500,150,100,0,0
            """);
        await Host.ImportAsync(api, "costs", """
            sku,valid_from,unit_cost
            DG-SKU,2020-01-01,500
            """);
        await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("email", "Morning mail", "morning@alerts.test", null, "en", true), default);
        await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("telegram", "Morning chat", "@morning_chat", Host.BotToken, "ru", true), default);
        await alerts.AddRecipientAsync(workspace, new NewAlertRecipient("email", "Not for digests", "nodigest@alerts.test", null, "en", false), default);
        await alerts.SetDigestAsync(workspace, new DigestSetting(true, 0), default);
        var digest = host.Services.GetRequiredService<DailyDigest>();

        var sent = await digest.SendDueAsync(default);
        var deliveries = await host.DigestAttemptsAsync(workspace);
        sent.Should().Be(2, deliveries);
        (await digest.SendDueAsync(default)).Should().Be(0, "today's digest went already");

        var mail = (await host.MailsToAsync("morning@alerts.test", 1)).Single();
        var text = QuotedPrintable(mail.Data);
        text.Should().Contain("Revenue: ₽2,000.00 (+₽500.00 against ₽1,500.00 a week before)")
            .And.Contain("Profit: ₽1,200.00 (+₽450.00 against ₽750.00 a week before)")
            .And.Contain("Channels to cut (last 4 weeks): none.");
        var telegram = (await host.Telegram.WaitForAsync(r => r.Text.Contains("@morning_chat", StringComparison.Ordinal), 1, Wait)).Single();
        using var json = JsonDocument.Parse(telegram.Text);
        json.RootElement.GetProperty("chat_id").GetString().Should().Be("@morning_chat");
        json.RootElement.GetProperty("text").GetString().Should().Contain("Выручка: 2\u00a0000,00\u00a0₽").And.Contain("Прибыль: 1\u00a0200,00\u00a0₽");
        host.Smtp.Mails.Should().NotContain(m => m.To.Contains("nodigest@alerts.test"));
    }

    [Theory]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("http://hooks.example.com/plain")]
    [InlineData("https://user:pass@hooks.example.com/hook")]
    [InlineData("ftp://hooks.example.com/hook")]
    public async Task A_webhook_to_an_internal_address_or_without_https_is_refused_in_plain_words(string url)
    {
        var (alerts, workspace, api) = await host.FreshAsync();

        var adding = () => alerts.AddRecipientAsync(workspace, new NewAlertRecipient("webhook", "Bad", url, null, "en", false), default);

        (await adding.Should().ThrowAsync<AlertValidationException>()).Which.Field.Should().Be("address");
        (await alerts.RecipientsAsync(workspace, default)).Should().BeEmpty();
    }

    /// <summary>Mail bodies come quoted-printable or base64; this reads the plain text part well enough for assertions.</summary>
    internal static string QuotedPrintable(string data)
    {
        var body = data[(data.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        if (data.Contains("Content-Transfer-Encoding: base64", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(body.Split("\r\n").Where(l => l.Length > 0))));
        }

        var joined = body.Replace("=\r\n", string.Empty, StringComparison.Ordinal);
        var bytes = new List<byte>();
        for (var i = 0; i < joined.Length; i++)
        {
            if (joined[i] == '=' && i + 2 < joined.Length && Uri.IsHexDigit(joined[i + 1]) && Uri.IsHexDigit(joined[i + 2]))
            {
                bytes.Add(byte.Parse(joined.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(joined[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>The app pointed at the fakes: SMTP, the Bot API's base URL, retries a second apart.</summary>
    public class Host : ApiHost
    {
        public const string BotToken = "123456789:AAE_test-token-for-the-fake-bot-api";

        public SmtpListener Smtp { get; } = new();

        public HttpFake Telegram { get; } = HttpFake.Telegram();

        /// <summary>The mails to <paramref name="address"/>, once <paramref name="count"/> have come.</summary>
        public async Task<IReadOnlyList<ReceivedMail>> MailsToAsync(string address, int count)
        {
            var deadline = DateTime.UtcNow + Wait;
            while (true)
            {
                var mails = Smtp.Mails.Where(m => m.To.Contains(address)).ToList();
                if (mails.Count >= count || DateTime.UtcNow > deadline)
                {
                    mails.Should().HaveCount(count);
                    return mails;
                }

                await Task.Delay(50);
            }
        }

        /// <summary>The digest messages' attempts in words, for a failing assertion to show.</summary>
        public async Task<string> DigestAttemptsAsync(Guid workspace)
        {
            await using var cmd = Database.DataSource.CreateCommand(
                "SELECT string_agg(d.status || ' ' || coalesce(t.error, ''), '; ') FROM alert_deliveries d LEFT JOIN alert_delivery_attempts t ON t.delivery_id = d.id WHERE d.workspace_id = $1");
            cmd.Parameters.AddWithValue(workspace);
            return (await cmd.ExecuteScalarAsync())?.ToString() ?? string.Empty;
        }

        public static DateOnly Yesterday => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")).DateTime).AddDays(-1);

        /// <summary>A workspace of its own for each test (rules, recipients and ledger apart), with the service and an Owner's API client.</summary>
        public async Task<(AlertService Alerts, Guid Workspace, HttpClient Api)> FreshAsync()
        {
            var workspace = Guid.NewGuid();
            var token = "alerts-" + workspace.ToString("N");
            await using (var db = await Services.GetRequiredService<IDbContextFactory<SellerDeskDbContext>>().CreateDbContextAsync())
            {
                db.Workspaces.Add(new Workspace { Id = workspace, Name = "alerts " + workspace.ToString("N")[..8] });
                await db.SaveChangesAsync();
                await ApiTokens.EnsureAsync(db, workspace, token, ApiRoles.Owner, "alerts test", default);
            }

            return (Services.GetRequiredService<AlertService>(), workspace, CreateClient(token));
        }

        public static async Task ImportAsync(HttpClient api, string kind, string csv)
        {
            using var content = new StringContent(csv.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n", Encoding.UTF8, "text/csv");
            using var response = await api.PostAsync(new Uri($"/api/v1/imports/{kind}", UriKind.Relative), content);
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        protected override void Configure(IWebHostBuilder builder)
        {
            builder.UseSetting("Smtp:Host", "127.0.0.1");
            builder.UseSetting("Smtp:Port", Smtp.Port.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Smtp:From", "SellerDesk <alerts@alerts.test>");
            builder.UseSetting("Smtp:UseTls", "false");
            builder.UseSetting("Alerts:TelegramBaseUrl", Telegram.BaseAddress.ToString());
            builder.UseSetting("Alerts:FirstRetryDelay", "00:00:01");
            builder.UseSetting("Alerts:MaxAttempts", "3");
            builder.UseSetting("Alerts:HttpTimeout", "00:00:02");
        }
    }
}
