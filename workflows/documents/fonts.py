"""The documents' CJK font, cut down once per machine to the characters documents use, so that every PDF costs less.

Noto Sans CJK SC comes as one face of a 19 MB font collection with 65,535 glyphs. WeasyPrint copies that face, shapes
text with its large layout tables and subsets it again for every PDF. The same font cut once to GB 2312 (all 6,763
hanzi and its symbols, kana and pinyin letters), Latin and the usual punctuation holds ~8,200 glyphs in ~2 MB:
documents render with about a quarter less CPU and weigh half as much. Its outlines, metrics and layout features are
the system font's own, so text lays out and prints the same. It leaves out the vertical forms and the localised forms
(`locl`), which were 40 % of the glyphs: Japanese, Korean and traditional Chinese ones, which a zh-CN document never
uses, and a Chinese-style ASCII apostrophe, so that "people's" in English text prints with the Latin one.

`subset_font()` returns that file, making it on first use (fontTools, ~10 s of CPU) in `cache_dir()`, named after the
system font it was cut from (path, size, modification time), the characters and `SUBSET_VERSION`: a font package
upgrade or a change here makes a new file, and removes the older ones. It returns None when there is no system font
to cut from or the cache cannot be written; documents then use the system font directly. Any character outside the
subset still prints: the stylesheet names the system families after `SUBSET_FAMILY`, and Pango falls back per
character (that document then embeds both fonts).
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import logging
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

LOGGER = logging.getLogger(__name__)

SUBSET_FAMILY = "Portal Sans CJK SC"
# The system families a subset may be cut from, best first: the same order as the fallbacks in documents.css.
SOURCE_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
SUBSET_VERSION = 2  # change it whenever the options of `make_subset` change: the cached file is remade
CACHE_DIR_ENV = "PORTAL_FONT_CACHE_DIR"
SUBSET_FILE_PREFIX = "portal-sans-cjk-sc-"

# Besides GB 2312: Latin, punctuation and the symbols that business documents and their data use.
EXTRA_RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x024F),  # Latin-1, Latin Extended-A and -B (pinyin tone marks, European names)
    (0x2000, 0x206F),  # general punctuation: dashes, quotes, ellipsis, bullets
    (0x20A0, 0x20CF),  # currency symbols
    (0x2100, 0x218F),  # letterlike symbols (℃, №) and number forms (Roman numerals)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2460, 0x24FF),  # enclosed alphanumerics (①)
    (0x25A0, 0x25FF),  # geometric shapes (□ ■ ○ ●)
    (0x2600, 0x27BF),  # miscellaneous symbols and dingbats (★ ☆ ✓ ✗)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width and half-width forms
)
# Vertical writing is never set, and a zh-CN document never takes the Japanese, Korean or traditional forms of
# `locl`: these features and metrics only make the file larger.
UNUSED_FEATURES = frozenset({"vert", "vrt2", "vkrn", "vpal", "valt", "vhal", "vjmo", "locl"})
VERTICAL_TABLES = ("vhea", "vmtx", "VORG")


@dataclass(frozen=True)
class SourceFont:
    """A system font file (and face index, for a collection) that fontconfig offers for `family`."""

    family: str
    path: Path
    index: int

    def cache_key(self, characters: Iterable[int]) -> str:
        """Names the subset of `characters` cut from this exact file: another font version gets another name."""
        stat = self.path.stat()
        identity = f"{SUBSET_VERSION}|{self.path}|{self.index}|{stat.st_size}|{stat.st_mtime_ns}|"
        identity += ",".join(map(str, sorted(characters)))
        return hashlib.sha256(identity.encode()).hexdigest()[:16]


def subset_characters() -> frozenset[int]:
    """The code points the subset covers: every character of GB 2312, plus `EXTRA_RANGES`."""
    characters = {code for first, last in EXTRA_RANGES for code in range(first, last + 1)}
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                characters.add(ord(bytes((row, cell)).decode("gb2312")))
            except UnicodeDecodeError:  # the unassigned positions of the code table
                continue
    return frozenset(characters)


def find_source_font(families: Iterable[str] = SOURCE_FAMILIES) -> SourceFont | None:
    """The regular face of the first of `families` that fontconfig has, or None."""
    for family in families:
        try:
            answer = subprocess.run(
                ["fc-match", "--format", "%{file}\n%{index}\n%{family}\n", f"{family}:style=Regular"],
                capture_output=True, text=True, timeout=30, check=False,
            )
        except (FileNotFoundError, subprocess.TimeoutExpired):
            return None
        lines = answer.stdout.split("\n")
        # fc-match always answers with some font: only an answer of the family asked for counts.
        if answer.returncode != 0 or len(lines) < 3 or family not in lines[2].split(","):
            continue
        path = Path(lines[0])
        if path.is_file():
            return SourceFont(family=family, path=path, index=int(lines[1] or 0))
    return None


def cache_dir() -> Path:
    """Where subsets are kept: `$PORTAL_FONT_CACHE_DIR`, else `$XDG_CACHE_HOME/supplier-portal/fonts`."""
    if configured := os.environ.get(CACHE_DIR_ENV):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "supplier-portal" / "fonts"


def subset_font() -> Path | None:
    """The pre-subset CJK font for documents, made on first use; None if it cannot be had (see the module docstring).

    Remembered for the life of the process. Safe to call from several processes at once: one makes the file, the
    others wait for it.
    """
    return _subset_font(cache_dir())


@functools.cache
def _subset_font(directory: Path) -> Path | None:
    source = find_source_font()
    if source is None:
        return None
    characters = subset_characters()
    target = directory / f"{SUBSET_FILE_PREFIX}{source.cache_key(characters)}.otf"
    if target.is_file():
        return target
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with open(directory / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if not target.is_file():
                make_subset(source, target, characters)
                _remove_superseded(directory, target)
    except OSError as error:
        LOGGER.warning("documents use the full system CJK font (slower): cannot write the subset in %s: %s",
                       directory, error)
        return None
    return target


def _remove_superseded(directory: Path, current: Path) -> None:
    """Delete the subsets cut before `current` (another font package, another `SUBSET_VERSION`): 2 MB each.

    Runs under the cache's lock. A process still using one keeps its open file (Linux frees it on close); one that
    starts with older code makes its file again.
    """
    for path in directory.glob(f"{SUBSET_FILE_PREFIX}*.otf"):
        if path != current:
            path.unlink(missing_ok=True)
            LOGGER.info("removed the superseded font subset %s", path)


def make_subset(source: SourceFont, target: Path, characters: Iterable[int]) -> None:
    """Write the glyphs of `characters` in `source` to `target` as a font named `SUBSET_FAMILY`, atomically.

    Keeps the horizontal layout features that shaping applies (kerning, ligatures) and the glyphs they reach, and the
    hinting (WeasyPrint drops it when it embeds the font; removing it here takes longer).
    """
    # Bounding boxes are not recomputed on save: the source's are a superset, and recomputing them from every
    # outline would double the time this takes.
    font = TTFont(source.path, fontNumber=source.index, lazy=True, recalcBBoxes=False)
    options = subset.Options()
    options.layout_features = [tag for tag in options.layout_features if tag not in UNUSED_FEATURES]
    options.drop_tables = [*options.drop_tables, *VERTICAL_TABLES]
    options.notdef_outline = True
    options.name_IDs = ["*"]  # the copyright and licence records (the SIL Open Font License) travel with the font
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters)
    subsetter.subset(font)
    _rename(font, SUBSET_FAMILY)
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        font.save(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _rename(font: TTFont, family: str) -> None:
    # Its own family name keeps fontconfig from taking the subset for the full system font it was cut from.
    postscript = family.replace(" ", "") + "-Regular"
    names = font["name"]
    names.names = [record for record in names.names if record.nameID not in (1, 2, 3, 4, 6, 16, 17, 18, 21, 22)]
    for name_id, value in ((1, family), (2, "Regular"), (3, f"{postscript};{SUBSET_VERSION}"), (4, family),
                           (6, postscript)):
        names.setName(value, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, English (United States)
        names.setName(value, name_id, 1, 0, 0)  # Macintosh, Roman, English
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        for key in ("FullName", "FamilyName"):
            if hasattr(top, key):
                setattr(top, key, family)
