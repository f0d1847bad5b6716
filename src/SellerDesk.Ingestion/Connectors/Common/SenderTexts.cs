using System.Globalization;
using System.Text.RegularExpressions;
using SellerDesk.Ingestion.Connectors.Http;

namespace SellerDesk.Ingestion.Connectors.Common;

/// <summary>
/// The shared sender (<see cref="ResilientHttpSender"/>) words its failures in English only (throttled, unavailable,
/// timed out). This gives such a failure its Russian text as well, for any marketplace: each sentence the sender
/// writes is recognised and said again in Russian with the same figures; a sentence it does not know gets a plain
/// Russian one for its kind of failure with the English one quoted. A failure that already has both languages is
/// returned as it is.
/// <para>
/// The sender ends some sentences with a promise ("; the pull will retry at the next run", "; the next scheduled run
/// will continue"). A connector cannot know whether a next run is scheduled, so the promise is taken off both
/// languages here (<see cref="WithoutPromise"/>); the pull runner adds what really happens next from the connection's
/// schedule (<c>PullTexts.RetryScheduled</c> / <c>RetryByHand</c>).
/// </para>
/// </summary>
public static partial class SenderTexts
{
    /// <summary>The failure with its text in both languages (the same exception when it already has them).</summary>
    public static ConnectorException Localize(ConnectorException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failure.Text.Ru != failure.Text.En)
        {
            return failure;
        }

        var english = WithoutPromise(failure.Text.En);
        return new ConnectorException(failure.Failure, new LocalText(english, Russian(failure.Failure, english)), failure);
    }

    /// <summary>
    /// <paramref name="english"/> without a trailing promise of what the next run does, which only the runner can know
    /// (it knows the connection's schedule).
    /// </summary>
    public static string WithoutPromise(string english)
    {
        ArgumentNullException.ThrowIfNull(english);
        foreach (var promise in Promises)
        {
            if (english.EndsWith(promise, StringComparison.Ordinal))
            {
                return english[..^promise.Length];
            }
        }

        return english;
    }

    /// <summary>The promises the shared sender has been seen to end its sentences with.</summary>
    private static readonly string[] Promises = ["; the pull will retry at the next run", "; the next scheduled run will continue"];

    /// <summary>The Russian for one of the sender's English sentences.</summary>
    public static string Russian(ConnectorFailure failure, string english)
    {
        ArgumentNullException.ThrowIfNull(english);
        english = WithoutPromise(english);
        if (AsksToWait().Match(english) is { Success: true } wait)
        {
            return $"{wait.Groups["m"].Value} просит подождать {Duration(wait.Groups["d"].Value)} до следующего запроса";
        }

        if (StillThrottling().Match(english) is { Success: true } throttled)
        {
            return $"{throttled.Groups["m"].Value} всё ещё ограничивает частоту запросов после {Attempts(throttled.Groups["n"].Value)}";
        }

        if (AnsweredInARow().Match(english) is { Success: true } answered)
        {
            return $"{answered.Groups["m"].Value} {InARow(answered.Groups["t"].Value)} ответил {answered.Groups["s"].Value}";
        }

        if (GaveInARow().Match(english) is { Success: true } gave)
        {
            return $"{gave.Groups["m"].Value} {InARow(gave.Groups["t"].Value)}: {Description(gave.Groups["d"].Value)}";
        }

        if (FailedInARow().Match(english) is { Success: true } failed)
        {
            return $"{failed.Groups["m"].Value}: сбой {InARow(failed.Groups["t"].Value)} (последний: {Description(failed.Groups["d"].Value)})";
        }

        if (TokenRejected().Match(english) is { Success: true } token)
        {
            return $"{token.Groups["m"].Value} отклонил токен: вставьте новый";
        }

        if (Refused().Match(english) is { Success: true } refused)
        {
            return $"{refused.Groups["m"].Value} отклонил запрос с HTTP {refused.Groups["s"].Value}{refused.Groups["rest"].Value}";
        }

        var kind = failure switch
        {
            ConnectorFailure.Throttled => "маркетплейс ограничивает частоту запросов",
            ConnectorFailure.Unavailable => "маркетплейс недоступен",
            ConnectorFailure.Unauthorized => "маркетплейс отклонил токен: вставьте новый",
            ConnectorFailure.MethodRetired => "маркетплейс отключил вызываемый метод: коннектору нужно обновление",
            _ => "маркетплейс ответил не так, как описано в документации",
        };
        return $"{kind} ({english})";
    }

    /// <summary>"45 s", "2 min", "11 h 38 min" in Russian.</summary>
    private static string Duration(string english) =>
        english.Replace(" min", " мин", StringComparison.Ordinal).Replace(" h", " ч", StringComparison.Ordinal).Replace(" s", " с", StringComparison.Ordinal);

    private static string Description(string english) =>
        english.StartsWith("no answer within ", StringComparison.Ordinal) ? "нет ответа за " + Duration(english["no answer within ".Length..])
        : english.StartsWith("network error: ", StringComparison.Ordinal) ? "ошибка сети: " + english["network error: ".Length..]
        : english;

    private static string InARow(string times) => Count(times) is { } n
        ? string.Create(CultureInfo.InvariantCulture, $"{n} {Plural(n, "раз", "раза", "раз")} подряд")
        : times + " подряд";

    private static string Attempts(string number) => int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
        ? string.Create(CultureInfo.InvariantCulture, $"{n} {Plural(n, "попытки", "попыток", "попыток")}")
        : number;

    private static int? Count(string times) => times switch
    {
        "once" => 1,
        "twice" => 2,
        _ when times.EndsWith(" times", StringComparison.Ordinal) => Number(times[..^" times".Length]),
        _ => null,
    };

    private static int? Number(string word)
    {
        var index = Array.IndexOf(Words, word);
        return index >= 0 ? index : int.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>Russian plural: one (1, 21), few (2-4, 22-24), many (0, 5-20, 25...).</summary>
    private static string Plural(int n, string one, string few, string many) => (n % 10, n % 100) switch
    {
        (1, not 11) => one,
        ( >= 2 and <= 4, < 12 or > 14) => few,
        _ => many,
    };

    private static readonly string[] Words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

    [GeneratedRegex(@"^(?<m>.+?) asks to wait (?<d>.+?) before the next request$")]
    private static partial Regex AsksToWait();

    [GeneratedRegex(@"^(?<m>.+?) is still throttling after (?<n>\d+) tries$")]
    private static partial Regex StillThrottling();

    [GeneratedRegex(@"^(?<m>.+?) answered (?<s>\d{3}) (?<t>.+?) in a row$")]
    private static partial Regex AnsweredInARow();

    [GeneratedRegex(@"^(?<m>.+?) gave (?<d>.+) (?<t>once|twice|\S+ times) in a row$")]
    private static partial Regex GaveInARow();

    [GeneratedRegex(@"^(?<m>.+?) failed (?<t>once|twice|\S+ times) in a row \(last: (?<d>.+)\)$")]
    private static partial Regex FailedInARow();

    [GeneratedRegex(@"^token rejected by (?<m>.+?): paste a new one")]
    private static partial Regex TokenRejected();

    [GeneratedRegex(@"^(?<m>.+?) refused the request with HTTP (?<s>\d{3})(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex Refused();
}
