"""The routers, in the order they are asked: specific first, the fallback last."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    cancel,
    errors,
    fallback,
    final_report,
    invites,
    language,
    my_reports,
    plan,
    reports,
    start,
)


def build_routers() -> list[Router]:
    return [
        errors.build_router(),
        cancel.build_router(),
        language.build_router(),
        reports.build_router(),
        my_reports.build_router(),
        start.build_router(),
        invites.build_router(),
        final_report.build_router(),
        plan.build_router(),
        fallback.build_router(),
    ]
