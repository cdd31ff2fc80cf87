"""Member text made inert for the context it lands in: one function per context, used everywhere.

Organisation, site and service names and need comments are typed by members and shown to
everyone who opens a map. Each context has its own rules, so each has one function here:

* :func:`html_text`: HTML element content or a quoted attribute value. Besides the five HTML
  specials it encodes the characters that mean something to JavaScript template literals and
  line-terminator-sensitive string literals (``` ` ```, ``$``, ``\\``, U+2028, U+2029) and to
  Jinja (``{``, ``}``) as character references. Those render as the same characters wherever
  HTML is parsed, yet the escaped text stays inert even if a library drops it into a backtick
  string (folium's ``Tooltip`` and ``Popup`` do exactly that, where ``${…}`` would run) or
  into a template: branca renders every map element's script and then parses that output
  *again* as a Jinja template, so ``{{ … }}`` in member text would run as Python on the
  server (or stop every map with a template syntax error).
* :func:`markdown_text`: Markdown (Streamlit's ``st.markdown``, captions, alerts, labels,
  ``st.table`` cells): every ASCII punctuation character backslash-escaped, line breaks as spaces.
* :func:`js_string`: a complete JavaScript string literal (JSON) safe to write inside a
  ``<script>`` element: ``</script>``, ``<!--``, quotes, backticks, ``$`` and braces cannot
  end it, run anything in the browser, or be read as Jinja by branca's second pass.

Maps never place member text in code any other way: markup built with :func:`html_text` is
handed to Leaflet as a :func:`js_string` (data), never spliced into a template.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd

_HTML = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#x27;",
        "`": "&#96;",
        "$": "&#36;",
        "\\": "&#92;",
        "\u2028": "&#8232;",
        "\u2029": "&#8233;",
        "{": "&#123;",
        "}": "&#125;",
    }
)
_SCRIPT = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "'": "\\u0027",
        "`": "\\u0060",
        "$": "\\u0024",
        "{": "\\u007b",
        "}": "\\u007d",
    }
)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # containers: not a missing scalar
        return False


def html_text(value: object) -> str:
    """``value`` as HTML text, inert in HTML, attributes and JavaScript template literals.

    Parameters
    ----------
    value : object
        Anything a member could have typed; ``None``, NaN and ``pd.NA`` give ``""``.

    Returns
    -------
    str
        Text with ``& < > " ' ` $ \\ { }`` and U+2028/U+2029 as character references, so the
        browser shows exactly what was typed and no context can read it as markup or code.
    """
    if _missing(value):
        return ""
    return str(value).translate(_HTML)


def js_string(value: str) -> str:
    """A JavaScript string literal holding ``value``, safe inside a ``<script>`` element.

    JSON with every non-ASCII character as ``\\uXXXX`` (U+2028 included), plus ``< > & '``,
    backtick, ``$`` and braces escaped, so the literal can neither close the script element
    nor the string, nor interpolate anything, nor be read as Jinja.

    Parameters
    ----------
    value : str
        The text (often markup already made by :func:`html_text`) to pass to JavaScript as data.

    Returns
    -------
    str
        The literal, double quotes included.
    """
    return json.dumps(str(value), ensure_ascii=True).translate(_SCRIPT)


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_MARKDOWN = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def markdown_text(value: object) -> str:
    """``value`` as Markdown that displays exactly its text, nothing more.

    CommonMark lets every ASCII punctuation character be backslash-escaped, so escaping all of
    them leaves nothing a renderer could read as syntax (links, images, tags, ``:red[…]``,
    ``$…$``, headings, lists); line breaks become spaces so a name cannot open a new block.

    Parameters
    ----------
    value : object
        Any text a member, a coordinator or a file could have supplied; ``None`` gives ``""``.

    Returns
    -------
    str
        The escaped text.
    """
    if value is None:
        return ""
    return _MARKDOWN.sub(r"\\\1", _CONTROL.sub(" ", str(value)))
