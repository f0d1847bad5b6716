using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MimeKit;
using SellerDesk.Ingestion.Connectors.Common;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Web.Features.Alerts;

/// <summary>
/// Where alerts may go. A webhook is an address a user points the server at, so it is held to the rules of a
/// connection's base URL: https (plain http only in Development or to a host the operator lists in
/// <c>Connectors:Http:AllowedHosts</c>), no user-info, no private, loopback or link-local address unless listed; and
/// every request goes through the same <see cref="AddressGuard"/>, which checks the address again when the socket opens.
/// Telegram's host and the SMTP server are the operator's settings, not the user's.
/// </summary>
public sealed partial class AlertAddresses(IOptions<MarketplaceHttpOptions> http, IHostEnvironment environment)
{
    public string Email(string? address)
    {
        var text = address?.Trim() ?? string.Empty;
        if (text.Length is 0 or > 254 || !MailboxAddress.TryParse(text, out var mailbox) || !mailbox.Address.Contains('@', StringComparison.Ordinal)
            || mailbox.Address.EndsWith('@') || mailbox.Address.StartsWith('@'))
        {
            throw new AlertValidationException("address", new LocalText("enter an e-mail address such as finance@example.com", "введите адрес почты, например finance@example.com"));
        }

        return mailbox.Address;
    }

    public string TelegramChat(string? chat)
    {
        var text = chat?.Trim() ?? string.Empty;
        if (!ChatId().IsMatch(text))
        {
            throw new AlertValidationException(
                "address",
                new LocalText("enter the chat id (a number such as -1001234567890) or a channel's @name", "введите id чата (число, например -1001234567890) или @имя канала"));
        }

        return text;
    }

    public string TelegramToken(string? token)
    {
        var text = token?.Trim() ?? string.Empty;
        if (!BotToken().IsMatch(text))
        {
            throw new AlertValidationException(
                "secret",
                new LocalText("enter the bot token @BotFather gave, such as 123456789:AAE...", "введите токен бота, который выдал @BotFather, например 123456789:AAE..."));
        }

        return text;
    }

    public string Webhook(string? url)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.ToString().Length > 2000)
        {
            throw new AlertValidationException("address", new LocalText("enter the webhook's full https address", "введите полный https-адрес вебхука"));
        }

        var listed = http.Value.IsListed(uri);
        if (uri.Scheme == Uri.UriSchemeHttp && !listed && !environment.IsDevelopment())
        {
            throw new AlertValidationException("address", new LocalText("a webhook must use https", "вебхук должен работать по https"));
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new AlertValidationException("address", new LocalText("the address must not contain a user name or password", "адрес не должен содержать имя пользователя или пароль"));
        }

        var internalHost = uri.IsLoopback
            || (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal) && AddressGuard.IsInternal(literal));
        if (internalHost && !listed)
        {
            throw new AlertValidationException(
                "address",
                new LocalText("SellerDesk does not send to private, loopback or link-local addresses", "SellerDesk не отправляет на частные, локальные и link-local адреса"));
        }

        return uri.ToString();
    }

    [GeneratedRegex(@"^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ChatId();

    [GeneratedRegex(@"^\d{3,20}:[A-Za-z0-9_-]{20,100}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex BotToken();
}
