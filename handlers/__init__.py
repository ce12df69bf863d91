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
    invites,
    language,
    my_reports,
    plan,
    plan_upload,
    reports,
    settings,
    start,
)


def build_routers() -> list[Router]:
    return [
        errors.build_router(),
        cancel.build_router(),
        language.build_router(),
        reports.build_router(),
        cases.build_router(),
        my_reports.build_router(),
        start.build_router(),
        invites.build_router(),
        coordinator.build_router(),
        settings.build_router(),
        plan.build_router(),
        plan_upload.build_router(),
        case_desk.build_router(),
        fallback.build_router(),
    ]
