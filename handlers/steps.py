"""A form's steps in a router of their own, behind the form's state filter."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.state import StatesGroup


def steps_router(name: str, form: type[StatesGroup]) -> Router:
    """Someone outside the form passes the whole router with one check, not one per step."""
    router = Router(name=name)
    for observer in (router.message, router.callback_query):
        observer.filter(StateFilter(form))
    return router
