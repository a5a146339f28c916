"""Shorter paths through WeasyPrint's busiest functions, each giving exactly what the function it stands in for gives.

Two thirds of a document's CPU is WeasyPrint's own Python, spread thin. A few functions run hundreds of times per page
and do general work that our documents never need; each speedup here replaces one of them with code that takes the
common case directly and hands everything else to the original:

- `computed_style`: `ComputedStyle.__missing__`, which computes a style property the first time layout asks for it.
  Six lookups in ten are for a property the element does not set (the parent's value, or the initial one); those are
  answered at once, anything else goes through WeasyPrint's chain of special cases.
- `pango_context`: `Layout.setup`, which made a new Pango context and font description for every piece of text (some
  450 per statement). Contexts are shared per font configuration, direction and language (nothing changes a context
  once a layout holds it) and font descriptions per font (Pango copies them into each layout).
- `font_style_key`: the key of WeasyPrint's line-height cache (`strut`, asked for every line box) is a tuple of the font
  properties instead of the string written from it.
- `percentages`: `resolve_percentages`, run for every box, resolves its fifteen lengths in one loop; lengths in
  pixels and percentages directly, anything else (`auto`, `calc()`) through WeasyPrint's `percentage`.
- `float_collisions`: `avoid_collisions`, which places every line and table around floats, returns at once when the
  page has none (our documents never float anything) and calls the original otherwise.
- `deflate_level_6`: pydyf, WeasyPrint's PDF writer, compresses streams at zlib level 9, twice the time of level 6 for
  files 0.5 % smaller (a PDF reader cannot tell). Not a replaced function: it always applies.

Together they take a 12-line statement from 756 to 678 million instructions (callgrind, per render after warm-up;
730 with the computed-style shortcut alone).

Each replaced function carries the fingerprint (sha256 of its source) of the WeasyPrint function it was written
against. Should an upgrade change that function, the speedup is left out and WeasyPrint's own code runs: slower, never
different. `install()` applies them (the renderer does, when it is imported); `active()` names those in place; within
`pristine()` WeasyPrint's own functions run, which the tests use to compare every kind of document byte for byte.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import logging
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from math import inf
from typing import Any

import pydyf
from weasyprint.css import ComputedStyle
from weasyprint.css.computed_values import PHYSICAL_FUNCTIONS
from weasyprint.css.functions import check_math
from weasyprint.css.properties import INHERITED, INITIAL_NOT_COMPUTED, INITIAL_VALUES
from weasyprint.formatting_structure import boxes
# Imported before `install()` runs: these modules hold copies (`from .percent import resolve_percentages`) of the
# functions the speedups replace, and `apply` replaces those copies too.
from weasyprint.layout import absolute, block, column, grid, inline, page, percent, replaced, table  # noqa: F401
from weasyprint.layout import float as floats
from weasyprint.text import line_break
from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango, unicode_to_char_p
from weasyprint.text.fonts import font_features, get_font_description

LOGGER = logging.getLogger(__name__)
CACHE_LIMIT = 256  # Pango contexts or font descriptions kept per font configuration; beyond, each is made anew


# --- computed styles --------------------------------------------------------------------------------------------------


def _computed_style(original: Callable[[ComputedStyle, str], Any]) -> Callable[[ComputedStyle, str], Any]:
    """`ComputedStyle.__missing__`: a property the element does not set takes the parent's value (inherited) or the
    initial value, as `original` would give it. `original` gets anything else: a property set on the element (or its
    logical counterpart), the root element, the properties with special rules, initial values that need computing and
    inherited values holding a math function."""
    special = frozenset({"page", "float", "display", "position"})
    # the logical properties a physical one reads (margin_left: margin_inline_start in ltr, margin_inline_end in rtl)
    logical = {
        key: frozenset(function(block="ttb", inline=direction) for direction in ("ltr", "rtl"))
        for key, function in PHYSICAL_FUNCTIONS.items()
    }

    def __missing__(self: ComputedStyle, key: str) -> Any:
        cascaded = self.cascaded
        parent = self.parent_style
        if key in cascaded or parent is None or key in special or key.startswith("text_decoration_"):
            return original(self, key)
        counterparts = logical.get(key)
        if counterparts is not None and not counterparts.isdisjoint(cascaded):
            return original(self, key)
        if key in INHERITED or key.startswith("__"):
            value = parent[key]
            if check_math(value):
                return original(self, key)
        elif key in INITIAL_NOT_COMPUTED:
            return original(self, key)
        else:
            value = INITIAL_VALUES[key]
        self[key] = value
        return value

    return __missing__


# --- text layouts -----------------------------------------------------------------------------------------------------


def _shared_pango_context(original: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    """`Layout.setup`, with the Pango context and the font description shared instead of made for each text."""

    def setup(self: line_break.Layout, style: Any) -> None:
        font_config = style.font_config
        caches = font_config.__dict__.setdefault("portal_pango_caches", ({}, {}))
        contexts, descriptions = caches
        self.style = style
        self.first_line_direction = 0

        override = style["font_language_override"]
        lang = LST_TO_ISO.get(override.lower(), override) if override != "normal" else style["lang"] or None
        context_key = (style["direction"], lang)
        shared = contexts.get(context_key)
        if shared is None:
            pango_context = ffi.gc(pango.pango_font_map_create_context(font_config.font_map), gobject.g_object_unref)
            pango.pango_context_set_round_glyph_positions(pango_context, False)
            pango.pango_context_set_base_dir(pango_context, PANGO_DIRECTION[style["direction"]])
            if lang:
                lang_p, _ = unicode_to_char_p(lang)
                language = pango.pango_language_from_string(lang_p)
                pango.pango_context_set_language(pango_context, language)
            else:
                language = pango.pango_language_get_default()
            shared = (pango_context, language)
            if len(contexts) < CACHE_LIMIT:
                contexts[context_key] = shared
        pango_context, self.language = shared

        try:
            description_key = (tuple(style["font_family"]), style["font_style"], style["font_stretch"],
                               style["font_weight"], style["font_size"], style["font_variant_caps"],
                               style["font_variation_settings"])
            font_description = descriptions.get(description_key)
        except TypeError:  # a value that cannot be a key: no sharing
            description_key, font_description = None, None
        if font_description is None:
            font_description = get_font_description(style)
            if description_key is not None and len(descriptions) < CACHE_LIMIT:
                descriptions[description_key] = font_description

        # From here on, as in WeasyPrint.
        self.layout = ffi.gc(pango.pango_layout_new(pango_context), gobject.g_object_unref)
        pango.pango_layout_set_auto_dir(self.layout, False)
        pango.pango_layout_set_font_description(self.layout, font_description)

        if style["text_decoration_line"] != "none":
            metrics = ffi.gc(pango.pango_context_get_metrics(pango_context, font_description, self.language),
                             pango.pango_font_metrics_unref)
            self.ascent = FROM_UNITS * pango.pango_font_metrics_get_ascent(metrics)
            self.underline_position = FROM_UNITS * pango.pango_font_metrics_get_underline_position(metrics)
            self.strikethrough_position = FROM_UNITS * pango.pango_font_metrics_get_strikethrough_position(metrics)
            self.underline_thickness = FROM_UNITS * pango.pango_font_metrics_get_underline_thickness(metrics)
            self.strikethrough_thickness = FROM_UNITS * pango.pango_font_metrics_get_strikethrough_thickness(metrics)
        else:
            self.ascent = None
            self.underline_position = None
            self.strikethrough_position = None

        features = font_features(
            style["font_kerning"], style["font_variant_ligatures"], style["font_variant_position"],
            style["font_variant_caps"], style["font_variant_numeric"], style["font_variant_alternates"],
            style["font_variant_east_asian"], style["font_feature_settings"])
        if features:
            features = ",".join(f"{key} {value}" for key, value in features.items()).encode()
            attr = font_config.font_features.setdefault(features, pango.pango_attr_font_features_new(features))
            attr_list = pango.pango_attr_list_new()
            pango.pango_attr_list_insert(attr_list, attr)
            pango.pango_layout_set_attributes(self.layout, attr_list)

    return setup


def _tuple_font_style_key(original: Callable[..., str]) -> Callable[..., Any]:
    """`_font_style_cache_key` as a tuple of the same values (the original writes the tuple out as a string)."""

    def _font_style_cache_key(style: Any, include_size: bool = False) -> Any:
        key = (
            style["font_family"], style["font_style"], style["font_stretch"], style["font_weight"],
            style["font_variant_ligatures"], style["font_variant_position"], style["font_variant_caps"],
            style["font_variant_numeric"], style["font_variant_alternates"], style["font_variant_east_asian"],
            style["font_feature_settings"], style["font_variation_settings"], style["font_language_override"],
            style["lang"],
        )
        if include_size:
            key += (style["font_size"], style["line_height"])
        try:
            hash(key)
        except TypeError:  # a list somewhere: the original's string
            return original(style, include_size)
        return key

    return _font_style_cache_key


# --- boxes ------------------------------------------------------------------------------------------------------------

_WIDTH_BASED = ("margin_left", "margin_right", "padding_left", "padding_right", "width", "min_width", "max_width")
_HEIGHT_BASED = ("margin_top", "margin_bottom", "padding_top", "padding_bottom")  # the width's too, but on pages
_BORDER_WIDTHS = tuple(f"border_{side}_width" for side in ("top", "right", "bottom", "left"))


def _direct_percentages(original: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    """`resolve_percentages`: the used values of a box's margins, paddings, sizes and borders."""

    def used(value: Any, style: Any, refer_to: Any) -> Any:
        unit = getattr(value, "unit", None)
        if unit == "px":
            return value.value
        if unit == "%":
            return refer_to * value.value / 100
        return percent.percentage(value, style, refer_to)  # None, "auto", math functions

    def resolve_percentages(box: Any, containing_block: Any) -> None:
        if isinstance(containing_block, boxes.Box):
            cb_width, cb_height = containing_block.width, containing_block.height
        else:
            cb_width, cb_height = containing_block
        style = box.style
        for name in _WIDTH_BASED:
            setattr(box, name, used(style[name], style, cb_width))
        maybe_height = cb_height if isinstance(box, boxes.PageBox) else cb_width
        for name in _HEIGHT_BASED:
            setattr(box, name, used(style[name], style, maybe_height))
        if box.min_width == "auto":
            box.min_width = 0
        if cb_height == "auto":
            # The containing block's height depends on its content.
            height = style["height"]
            if height == "auto" or check_math(height) or height.unit == "%":
                box.height = "auto"
            else:
                assert height.unit.lower() == "px"
                box.height = height.value
            box.min_height = used(style["min_height"], style, 0)
            box.max_height = used(style["max_height"], style, inf)
        else:
            box.height = used(style["height"], style, cb_height)
            box.min_height = used(style["min_height"], style, cb_height)
            box.max_height = used(style["max_height"], style, cb_height)
        if box.min_height == "auto":
            box.min_height = 0
        collapse = style["border_collapse"] == "collapse"
        for name in _BORDER_WIDTHS:
            # collapsed borders were resolved before, by the table's border conflict resolution
            if not (collapse and hasattr(box, name)):
                setattr(box, name, style[name])
        percent.adjust_box_sizing(box, "width")
        percent.adjust_box_sizing(box, "height")

    return resolve_percentages


def _no_floats_no_collisions(original: Callable[..., tuple[float, float, float]]) -> Callable[..., Any]:
    """`avoid_collisions`: with no float on the page, a box takes the containing block's width at its own position."""

    def avoid_collisions(context: Any, box: Any, containing_block: Any, outer: bool = True) -> Any:
        if context.excluded_shapes:
            return original(context, box, containing_block, outer)
        position_y = box.position_y if outer else box.border_box_y()
        if box.border_height() == 0 and box.is_floated():
            return 0, position_y, containing_block.width
        max_left_bound = containing_block.content_box_x()
        max_right_bound = max_left_bound + containing_block.width
        if not outer:
            max_left_bound += box.margin_left
            max_right_bound -= box.margin_right
        position_x = max_left_bound
        if box.style["float"] == "none" and containing_block.style["direction"] == "rtl":
            if isinstance(box, boxes.LineBox):
                position_x = max_right_bound
            else:
                position_x = max_right_bound - (box.margin_width() if outer else box.border_width())
        available_width = max_right_bound - max_left_bound
        if not outer:
            position_x -= box.margin_left
            position_y -= box.margin_top
        return position_x, position_y, available_width

    return avoid_collisions


# --- pydyf ------------------------------------------------------------------------------------------------------------


class _Level6Zlib:
    """`zlib` as pydyf sees it: every stream compressed at level 6 rather than the 9 pydyf asks for."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(min(level, 6), *args, **kwargs)


# --- installing -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Speedup:
    """`build(original)` stands in for `owner.attribute`, which must still be the code `fingerprint` names."""

    name: str
    owner: Any  # a module or a class
    attribute: str
    fingerprint: str  # the first 16 hex digits of the sha256 of the original's source
    build: Callable[[Any], Any]


SPEEDUPS = (
    Speedup("computed_style", ComputedStyle, "__missing__", "b318d8efc8ac79d7", _computed_style),
    Speedup("pango_context", line_break.Layout, "setup", "fb227a55094f41d4", _shared_pango_context),
    Speedup("font_style_key", line_break, "_font_style_cache_key", "d6b09d54b8258d58", _tuple_font_style_key),
    Speedup("percentages", percent, "resolve_percentages", "71673078096fcf87", _direct_percentages),
    Speedup("float_collisions", floats, "avoid_collisions", "5fc7793c573af328", _no_floats_no_collisions),
)

# (holder, attribute, original) for every name a speedup replaced: the owner's, and the copies other WeasyPrint
# modules took with `from .percent import resolve_percentages`.
_replaced: list[tuple[Any, str, Any]] = []
_active: list[str] = []


def install() -> tuple[str, ...]:
    """Apply every speedup whose original is the code it was written for (once; later calls change nothing)."""
    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _Level6Zlib()  # type: ignore[attr-defined]
    if not _active:
        for speedup in SPEEDUPS:
            if apply(speedup):
                _active.append(speedup.name)
    return tuple(_active)


def apply(speedup: Speedup) -> bool:
    """Put `speedup` in place if its original is still the code it was written for; says whether it did."""
    original = getattr(speedup.owner, speedup.attribute)
    try:
        found = source_fingerprint(original)
    except (OSError, TypeError):  # no source to compare
        found = "none"
    if found != speedup.fingerprint:
        LOGGER.info("%s changed (source %s, not %s): speedup %r left out", speedup.attribute, found,
                    speedup.fingerprint, speedup.name)
        return False
    replacement = speedup.build(original)
    holders = [speedup.owner] + [
        module for name, module in list(sys.modules.items())
        if name.startswith("weasyprint.") and module is not speedup.owner
        and getattr(module, speedup.attribute, None) is original
    ]
    for holder in holders:
        setattr(holder, speedup.attribute, replacement)
        _replaced.append((holder, speedup.attribute, original))
    return True


def source_fingerprint(function: Any) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


def active() -> tuple[str, ...]:
    """The names of the speedups in place."""
    return tuple(_active)


@contextlib.contextmanager
def pristine() -> Iterator[None]:
    """WeasyPrint's own functions in place of the speedups for the duration of the block; the speedups come back
    afterwards. (pydyf keeps compressing at level 6, which changes the bytes of a PDF, not what it shows.)"""
    current = [(holder, attribute, getattr(holder, attribute)) for holder, attribute, _ in _replaced]
    for holder, attribute, original in _replaced:
        setattr(holder, attribute, original)
    try:
        yield
    finally:
        for holder, attribute, replacement in current:
            setattr(holder, attribute, replacement)
