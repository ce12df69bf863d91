"""The routers, in the order they are asked: specific first, the fallback last."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    cancel,
    case_desk,
    cases,
    coordinator,
    errors,
    fallback,
    forms,
    hotline,
    hotline_desk,
    invites,
    language,
    my_reports,
    people,
    places,
    plan,
    plan_upload,
    reports,
    school_links,
    settings,
    start,
)


def build_routers(*, flood_per_minute: int = 12) -> list[Router]:
    return [
        errors.build_router(),
        cancel.build_router(),
        language.build_router(),
        reports.build_router(),
        cases.build_router(),
        my_reports.build_router(),
        hotline.build_router(flood_per_minute),
        start.build_router(),
        invites.build_router(),
        coordinator.build_router(),
        settings.build_router(),
        plan.build_router(),
        plan_upload.build_router(),
        case_desk.build_router(),
        hotline_desk.build_router(),
        school_links.build_router(),
        people.build_router(),
        places.build_router(),
        forms.engine.build_router(),
        fallback.build_router(),
    ]
