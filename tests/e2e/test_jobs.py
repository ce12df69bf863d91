"""Scheduled jobs with a frozen clock: before, during and after the campaign, and after a restart."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.jobs import MISFIRE_GRACE
from tests.e2e.report_steps import fill_until_links, save, skip_to_summary

SCHOOL_7 = "kz/karaganda/shakhtinsk/school-7"
SCHOOL_9 = "kz/karaganda/shakhtinsk/school-9"
CITY = "kz/karaganda/shakhtinsk"
OTHER_CITY = "kz/almaty/medeu"


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A Kazakhstan (UTC+5) time as an aware UTC moment."""
    return datetime(day.year, day.month, day.day, hour - 5, minute, tzinfo=UTC)


async def _sent(api, chat_id, since=0):
    return [
        c
        for c in api.calls[since:]
        if c.ok
        and c.chat_id == chat_id
        and c.method in ("sendMessage", "sendPhoto", "sendDocument")
    ]


async def _report(qorgau, api, user, title):
    await fill_until_links(qorgau, api, user, title=title)
    await skip_to_summary(qorgau, user)
    await save(qorgau, user)
    await qorgau.settle()


async def test_morning_reminder_tells_only_what_is_not_reported(qorgau, api, clock):
    reporter_7, reporter_9 = api.user(1700), api.user(1701)
    await qorgau.join(reporter_7, "reporter", SCHOOL_7)
    await qorgau.join(reporter_9, "reporter", SCHOOL_9)
    await _report(qorgau, api, reporter_7, "Юридическая консультация")  # item 14
    jobs = qorgau.app.jobs
    since = len(api.calls)
    clock.moment = local(date(2025, 6, 4), 9)
    assert await jobs.morning_reminder() == 2
    await qorgau.app.delivery.drain()
    text_7 = (await _sent(api, 1700, since))[-1].text
    text_9 = (await _sent(api, 1701, since))[-1].text
    assert "4 июня" in text_7
    assert "14." not in text_7  # school 7 reported item 14: not a word about it
    assert "📌 14." in text_9
    assert "📌 9." in text_7 and "📌 9." in text_9
    assert "• 3." in text_9  # 1 June has passed and school 9 has not reported it
    assert "• 1." not in text_9 and "16." not in text_9  # department-only items are not a school's


async def test_no_reminders_before_or_after_the_campaign_and_none_twice(qorgau, api, clock):
    reporter = api.user(1710)
    await qorgau.join(reporter, "reporter", SCHOOL_7)
    jobs = qorgau.app.jobs
    assert await jobs.morning_reminder(date(2025, 5, 20)) == 0  # before the preparation
    assert await jobs.morning_reminder(date(2025, 6, 13)) == 0  # the day after it ended
    assert await jobs.morning_reminder(date(2025, 6, 5)) == 1
    assert await jobs.morning_reminder(date(2025, 6, 5)) == 0  # the same day again: nothing
    await qorgau.app.delivery.drain()
    reminders = [c for c in await _sent(api, 1710) if "📌" in (c.text or "")]
    assert len(reminders) == 1


async def test_muted_reporter_gets_no_reminder(qorgau, api):
    reporter = api.user(1720)
    await qorgau.join(reporter, "reporter", SCHOOL_7)
    await reporter.send("/settings")
    offer = await qorgau.said(reporter)
    await reporter.press(offer.button("🔕"))
    await qorgau.said(reporter)
    assert await qorgau.app.jobs.morning_reminder(date(2025, 6, 5)) == 0
    assert (await qorgau.services.users.get(1720)).reminders_muted


async def test_a_missed_morning_runs_once_after_a_restart(qorgau, api, clock):
    reporter = api.user(1730)
    await qorgau.join(reporter, "reporter", SCHOOL_7)
    clock.moment = local(date(2025, 6, 6), 11, 30)  # the bot was down at 09:00
    since = len(api.calls)
    await qorgau.restart()
    await qorgau.app.delivery.drain()
    assert len([c for c in await _sent(api, 1730, since) if "📌" in (c.text or "")]) == 1
    await qorgau.restart()  # and once more: nothing repeated
    await qorgau.app.delivery.drain()
    assert len([c for c in await _sent(api, 1730, since) if "📌" in (c.text or "")]) == 1


async def test_a_run_cut_off_half_way_repeats_nothing(qorgau, api):
    for user_id in (1740, 1741):
        await qorgau.join(api.user(user_id), "reporter", SCHOOL_7)
    jobs = qorgau.app.jobs
    day = date(2025, 6, 7)
    await jobs.morning_reminder(day)
    # pretend the process died before the run was recorded as finished
    await qorgau.services.db.execute(
        "UPDATE job_runs SET finished_at = NULL WHERE job = 'morning_reminder'"
    )
    assert await jobs.morning_reminder(day) == 2
    await qorgau.app.delivery.drain()
    for user_id in (1740, 1741):
        assert len([c for c in await _sent(api, user_id) if "📌" in (c.text or "")]) == 1


async def test_digests_of_two_areas_differ(qorgau, api, clock):
    reporter = api.user(1750)
    await qorgau.join(reporter, "reporter", SCHOOL_7)
    await qorgau.services.areas.ensure(SCHOOL_9, name_ru="Школа № 9", name_kk="№ 9 мектеп")
    await _report(qorgau, api, reporter, "Круглый стол")
    city, other = api.user(1751), api.user(1752)
    await qorgau.join(city, "coordinator", CITY)
    await qorgau.join(other, "coordinator", OTHER_CITY)
    since = len(api.calls)
    clock.moment = local(date(2025, 6, 3), 19)
    assert await qorgau.app.jobs.evening_digest() >= 2
    await qorgau.app.delivery.drain()
    city_texts = [c for c in await _sent(api, 1751, since)]
    other_texts = [c for c in await _sent(api, 1752, since)]
    city_text = next(c.text for c in city_texts if c.method == "sendMessage")
    other_text = next(c.text for c in other_texts if c.method == "sendMessage")
    assert "3 июня" in city_text
    assert "сегодня 1, всего 1" in city_text or "1 / 1" in city_text
    assert "14." in city_text and "Школа № 9" in city_text  # the school that reported nothing
    assert "14." not in other_text
    assert any(c.method == "sendPhoto" for c in city_texts)  # the chart
    assert not any(c.method == "sendPhoto" for c in other_texts)  # nothing to draw there


async def test_digest_on_demand_and_the_scheduler_setup(qorgau, api):
    coordinator = api.user(1760)
    await qorgau.join(coordinator, "coordinator", CITY)
    await coordinator.send("/digest")
    digest = await qorgau.said(coordinator)
    assert "3 июня" in digest.text
    scheduler = qorgau.app.scheduler
    assert scheduler.running
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {
        "morning_reminder",
        "evening_digest",
        "final_report",
        "case_deadlines",
        "hotline_deadlines",
        "retention",
        "backup",
    }
    for name in ("case_deadlines", "hotline_deadlines"):
        deadlines = jobs.pop(name)
        assert deadlines.coalesce and deadlines.max_instances == 1
        assert deadlines.trigger.interval.total_seconds() == 60
    for job in jobs.values():
        assert job.coalesce and job.misfire_grace_time == MISFIRE_GRACE
        assert str(job.trigger.timezone) == "Asia/Almaty"
    assert jobs["morning_reminder"].trigger.fields[5].expressions[0].first == 9  # hour
    assert jobs["evening_digest"].trigger.fields[5].expressions[0].first == 19


async def test_final_report_goes_out_the_day_after_the_campaign(qorgau, api):
    coordinator = api.user(1770)
    await qorgau.join(coordinator, "coordinator", CITY)
    jobs = qorgau.app.jobs
    assert await jobs.final_report(date(2025, 6, 12)) == 0
    assert await jobs.final_report(date(2025, 6, 13)) == 2
    assert await jobs.final_report(date(2025, 6, 13)) == 0
    await qorgau.app.delivery.drain(timeout=30)
    documents = [c for c in await _sent(api, 1770) if c.method == "sendDocument"]
    assert sorted(c.params["document"]["filename"].rsplit(".", 1)[1] for c in documents) == [
        "docx",
        "xlsx",
    ]


async def test_a_final_report_too_large_for_telegram_is_not_sent_but_explained(qorgau, api):
    await qorgau.stop()
    qorgau.settings = qorgau.settings.model_copy(update={"document_limit_mb": 0.02})
    await qorgau.start()
    coordinator = api.user(1771)
    await qorgau.join(coordinator, "coordinator", CITY)
    assert await qorgau.app.jobs.final_report(date(2025, 6, 13)) == 2
    await qorgau.app.delivery.drain(timeout=30)
    sent = await _sent(api, 1771)
    documents = [c.params["document"]["filename"] for c in sent if c.method == "sendDocument"]
    explained = [c.text for c in sent if c.method == "sendMessage" and "0,02 МБ" in c.text]
    # The DOCX (tens of KB) is larger than the 20 KB allowed here; the empty workbook is not.
    assert [name.rsplit(".", 1)[1] for name in documents] == ["xlsx"]
    assert len(explained) == 1
    assert ".docx" in explained[0] and "0 МБ" not in explained[0]
    assert f"python -m bot export --area {CITY} --lang ru" in explained[0]
