"""The form engine and the pieces a form is declared with."""

from handlers.forms.engine import FormContext, abandon, start
from handlers.forms.keyboards import FormCb
from handlers.forms.steps import Finished, Form, FormRefused, InputError, Kept, Option, Step

__all__ = [
    "Finished",
    "Form",
    "FormCb",
    "FormContext",
    "FormRefused",
    "InputError",
    "Kept",
    "Option",
    "Step",
    "abandon",
    "start",
]
