"""Vietnamese numbers: "2.822" is 2822, "1,76" is 1.76, "1.357,5" is 1357.5, "5000" is 5000.

A dot followed by exactly three digits groups thousands; a comma is the decimal mark. A dot
followed by one or two digits is read as a decimal point (English style, seen in wire copy).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?(?:\.\d{1,2}(?!\d))?"


def parse_number(text: str) -> Decimal | None:
    t = text.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t):
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d+", t):
        t = t.replace(",", ".")
    elif not re.fullmatch(r"\d+(?:\.\d{1,2})?", t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None
