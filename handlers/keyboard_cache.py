"""Keyboards built once per language instead of on every step of every form."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import wraps
from typing import ParamSpec, TypeVar

from aiogram.utils.i18n import get_i18n

P = ParamSpec("P")
M = TypeVar("M")

LIMIT = 4096


def per_language(build: Callable[P, M]) -> Callable[P, M]:
    """Cache a keyboard by the current language and the arguments (which must be hashable).

    A keyboard is the same for everyone reading the same language, and its buttons are pydantic
    models whose building is a good part of a form step's cost. The markups are shared, so no
    caller may change one; the cache starts over when it holds ``LIMIT`` keyboards.
    """
    built: dict[Hashable, M] = {}

    @wraps(build)
    def cached(*args: P.args, **kwargs: P.kwargs) -> M:
        key = (get_i18n().current_locale, args, tuple(kwargs.items()))
        markup = built.get(key)
        if markup is None:
            if len(built) >= LIMIT:
                built.clear()
            markup = built[key] = build(*args, **kwargs)
        return markup

    return cached
