using SellerDesk.Ingestion.Connectors;
using SellerDesk.Ingestion.Connectors.Common;

namespace SellerDesk.Ingestion.Tests.Connectors.Common;

/// <summary>
/// The shared sender's English failures said again in Russian with the same figures, and without the sender's promise
/// of a next run in either language (only the runner knows whether one is scheduled).
/// </summary>
public sealed class SenderTextsTests
{
    [Theory]
    [InlineData(ConnectorFailure.Unavailable, "Ozon gave no answer within 100 s three times in a row; the pull will retry at the next run",
        "Ozon gave no answer within 100 s three times in a row", "Ozon 3 раза подряд: нет ответа за 100 с")]
    [InlineData(ConnectorFailure.Unavailable, "Yandex Market failed twice in a row (last: network error: Connection refused); the pull will retry at the next run",
        "Yandex Market failed twice in a row (last: network error: Connection refused)", "Yandex Market: сбой 2 раза подряд (последний: ошибка сети: Connection refused)")]
    [InlineData(ConnectorFailure.Unavailable, "Wildberries answered 503 once in a row; the pull will retry at the next run",
        "Wildberries answered 503 once in a row", "Wildberries 1 раз подряд ответил 503")]
    [InlineData(ConnectorFailure.Unavailable, "Wildberries answered 503 once in a row",
        "Wildberries answered 503 once in a row", "Wildberries 1 раз подряд ответил 503")]
    [InlineData(ConnectorFailure.Throttled, "Wildberries asks to wait 45 s before the next request; the next scheduled run will continue",
        "Wildberries asks to wait 45 s before the next request", "Wildberries просит подождать 45 с до следующего запроса")]
    [InlineData(ConnectorFailure.Throttled, "Ozon is still throttling after 5 tries; the next scheduled run will continue",
        "Ozon is still throttling after 5 tries", "Ozon всё ещё ограничивает частоту запросов после 5 попыток")]
    [InlineData(ConnectorFailure.BadResponse, "Ozon refused the request with HTTP 400: {\"code\":3}",
        "Ozon refused the request with HTTP 400: {\"code\":3}", "Ozon отклонил запрос с HTTP 400: {\"code\":3}")]
    public void A_sender_sentence_is_said_again_in_Russian_with_the_same_figures_and_no_promise_of_a_next_run(
        ConnectorFailure failure, string sent, string english, string russian)
    {
        var localized = SenderTexts.Localize(new ConnectorException(failure, sent));

        localized.Failure.Should().Be(failure);
        localized.Text.Should().Be(new LocalText(english, russian));
        localized.Text.En.Should().NotContain("next run").And.NotContain("next scheduled run");
        localized.Text.Ru.Should().NotContain("следующем запуске").And.NotContain("по расписанию");
    }

    [Fact]
    public void A_sentence_it_does_not_know_gets_a_plain_Russian_one_quoting_the_English_and_a_translated_failure_is_left_alone()
    {
        var unknown = SenderTexts.Localize(new ConnectorException(ConnectorFailure.Unavailable, "something new happened"));
        var already = new ConnectorException(ConnectorFailure.Throttled, new LocalText("slow down", "помедленнее"));

        unknown.Text.Ru.Should().Be("маркетплейс недоступен (something new happened)");
        SenderTexts.Localize(already).Should().BeSameAs(already);
    }
}
