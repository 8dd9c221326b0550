"""Gazetteer of Vietnam's administrative units as they stood before the 2025 reform.

Built at first use from ``vietnam_provinces`` (``nested-divisions.json``: 63
provinces, 696 districts, 10,051 communes; data of 2025-01-04) and kept as a
singleton (:func:`gazetteer`). Every unit is a :class:`~loaders.records.PlaceRef`:

- ``level``: read off the name prefix with the level words of
  ``lexicon/admin_levels.tsv`` and the tier ("Thành phố X" is a Municipality at
  province level, a ProvincialCity at district level);
- ``name``: bare name in NFC with the traditional tone placement ("Hải Hòa",
  although the data writes "Hải Hoà");
- ``label``: "<level word> <Name>" ("huyện Hải Hà", "thành phố Hà Nội");
- ``code``: official code, zero-padded (province 2 digits, district 3, commune 5).

Lookups go through :func:`place_key`, which is :func:`~loaders.text.fold` (case-
and tone-placement-insensitive) with spaces and the punctuation ``. - '`` dropped,
so "TP.HCM" / "TP HCM" / "tphcm" and "Ia H' Drai" / "Ia H'Drai" meet. Other
names of units (aliases) come from ``lexicon/place_aliases.tsv``.

One correction to the data: province 46 appears as "Thành phố Huế", the
centrally-run city it became on 2025-01-01; before that (the period the graph
covers) it was "tỉnh Thừa Thiên Huế", which is what the gazetteer holds.

:meth:`Gazetteer.successor` maps a unit onto the post-reform (two-level, 34
provinces) unit that took it over, from the data files of ``vietnamadminunits``;
loaded lazily on first use, optional (None when the package is absent).

Run ``python -m loaders.gazetteer --bench`` for load time, memory and lookup speed.
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import re
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from loaders.records import PlaceRef
from loaders.text import canonical_tones, fold, nfc

LEXICON = Path(__file__).parent / "lexicon"


# --------------------------------------------------------------------------- level words


@dataclass(frozen=True)
class LevelWord:
    """One row of ``admin_levels.tsv``."""

    level: str  # ontology class: Province, Municipality, ..., Ward
    forms: tuple[str, ...]  # written forms, abbreviations included ("thành phố", "TP", "TP.")
    word: str  # canonical lower-case level word used in labels ("thành phố")
    tier: int  # 1 province level, 2 district level, 3 commune level


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append([nfc(c.strip()) for c in line.split("\t")])
    return rows


def _load_level_words() -> tuple[LevelWord, ...]:
    out = []
    for row in _read_tsv(LEXICON / "admin_levels.tsv"):
        level, forms, word, tier = row[:4]
        out.append(LevelWord(level, tuple(f.strip() for f in forms.split("|") if f.strip()), word, int(tier)))
    return tuple(out)


LEVEL_WORDS: tuple[LevelWord, ...] = _load_level_words()
LEVELS: tuple[str, ...] = tuple(lw.level for lw in LEVEL_WORDS)
TIER: dict[str, int] = {lw.level: lw.tier for lw in LEVEL_WORDS}
PROVINCE_LEVELS = frozenset(lw.level for lw in LEVEL_WORDS if lw.tier == 1)
DISTRICT_LEVELS = frozenset(lw.level for lw in LEVEL_WORDS if lw.tier == 2)
COMMUNE_LEVELS = frozenset(lw.level for lw in LEVEL_WORDS if lw.tier == 3)
_WORD_OF = {lw.level: lw.word for lw in LEVEL_WORDS}

# folded written form -> levels it may denote ("tp" -> {Municipality, ProvincialCity})
_FORM_LEVELS: dict[str, frozenset[str]] = {}
for _lw in LEVEL_WORDS:
    for _f in _lw.forms:
        _FORM_LEVELS[fold(_f)] = _FORM_LEVELS.get(fold(_f), frozenset()) | {_lw.level}


def level_word(level: str) -> str:
    """Canonical lower-case level word of a level class: "District" -> "huyện"."""
    return _WORD_OF[level]


def levels_of_word(form: str) -> frozenset[str]:
    """Level classes a written level word may denote: "TP" -> {Municipality, ProvincialCity}."""
    return _FORM_LEVELS.get(fold(form), frozenset())


def _level_prefix_re(forms: Iterable[str]) -> re.Pattern:
    words = sorted({f.casefold() for f in forms}, key=len, reverse=True)
    alts = "|".join(re.escape(w) + (r"\s*" if w.endswith(".") else r"\s+") for w in words)
    return re.compile(rf"(?:{alts})(?=\S)", re.IGNORECASE)


_LEVEL_PREFIX = _level_prefix_re(f for lw in LEVEL_WORDS for f in lw.forms)


def split_level(text: str) -> tuple[frozenset[str], str]:
    """Split a leading level word off a place mention.

    "huyện Hải Hà" -> ({"District"}, "Hải Hà"); "TP.HCM" -> ({"Municipality",
    "ProvincialCity"}, "HCM"); "Hải Hà" -> (frozenset(), "Hải Hà").
    """
    t = " ".join(nfc(text).split())
    m = _LEVEL_PREFIX.match(t)
    if m is None:
        return frozenset(), t
    return _FORM_LEVELS[fold(m.group(0))], t[m.end():]


def _levels_arg(level: str | Iterable[str] | None) -> frozenset[str] | None:
    if level is None:
        return None
    levels = frozenset([level]) if isinstance(level, str) else frozenset(level)
    unknown = levels - TIER.keys()
    if unknown:
        raise ValueError(f"unknown level class(es): {sorted(unknown)}")
    return levels


# --------------------------------------------------------------------------- keys and names

_PUNCT = re.compile(r"[\s.\-\u2010-\u2015'\u2018\u2019`]+")


@lru_cache(maxsize=65536)
def _word_fold(word: str) -> str:
    return fold(word)


def _fold(text: str) -> str:
    """fold() with a per-word cache (fold works word by word on whitespace)."""
    return " ".join(_word_fold(w) for w in nfc(text).split())


@lru_cache(maxsize=65536)
def _word_canon(word: str) -> str:
    return canonical_tones(word)


@lru_cache(maxsize=65536)
def _bare_name(name: str) -> str:
    return " ".join(_word_canon(w) for w in name.split())


@lru_cache(maxsize=65536)
def place_key(name: str) -> str:
    """Lookup key of a place name: fold() without spaces and ``. - '`` ("TP. HCM" -> "tphcm")."""
    # fold() works per whitespace-separated word (tone marks go to the end of the word),
    # so split on the punctuation too: "Rịa-Vũng" is two syllables.
    return "".join(_word_fold(w) for w in _PUNCT.split(nfc(name)) if w)


def canonical_name(name: str) -> str:
    """NFC, traditional tone placement, single spaces, each syllable capitalised."""
    words = nfc(name).split()
    return " ".join(_word_canon(w[:1].upper() + w[1:]) for w in words)


def _depth(place: PlaceRef) -> int:
    d = 0
    while place.parent is not None:
        place, d = place.parent, d + 1
    return d


def _tier(place: PlaceRef) -> int:
    return TIER.get(place.level, _depth(place) + 1)


def is_within(place: PlaceRef, ancestor: PlaceRef) -> bool:
    """True when ``ancestor`` is ``place`` or contains it."""
    p: PlaceRef | None = place
    while p is not None:
        if p is ancestor or p == ancestor:
            return True
        p = p.parent
    return False


# --------------------------------------------------------------------------- the gazetteer

# Units whose name/level in the data postdate the period the graph covers.
# code -> (level, name). Province 46 became the municipality "Thành phố Huế" on 2025-01-01.
_PRE_2025 = {"46": ("Province", "Thừa Thiên Huế")}


def _data_path() -> Path:
    try:
        import vietnam_provinces

        return vietnam_provinces.NESTED_DIVISIONS_JSON_PATH
    except ImportError as e:  # pragma: no cover
        raise RuntimeError("the gazetteer needs the package vietnam-provinces==0.6.0") from e


def _cache_file(data: Path) -> Path | None:
    """Where the pickled gazetteer for this code, these tables and this data lives (None: no cache).

    ``VNKG_GAZETTEER_CACHE=0`` disables the cache; ``VNKG_CACHE_DIR`` (default
    ``$XDG_CACHE_HOME/vnkg`` or ``~/.cache/vnkg``) moves it. The file name carries a
    fingerprint of this module, the records/text modules, the lexicon tables and the
    data file, so any change rebuilds.
    """
    if os.environ.get("VNKG_GAZETTEER_CACHE", "1").strip().lower() in ("0", "false", "no", "off"):
        return None
    base = os.environ.get("VNKG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "vnkg")
    h = hashlib.sha1(f"{sys.version_info[:2]}|{pickle.HIGHEST_PROTOCOL}|".encode())
    here = Path(__file__).parent
    try:
        for f in (Path(__file__), here / "records.py", here / "text.py",
                  LEXICON / "admin_levels.tsv", LEXICON / "place_aliases.tsv"):
            h.update(f.read_bytes())
        st = data.stat()
        h.update(f"{data.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    except OSError:
        return None
    return Path(base) / f"gazetteer-{h.hexdigest()[:16]}.pickle"


class Gazetteer:
    """All units, indexed by name key and code. Build with :meth:`load` (or use :func:`gazetteer`)."""

    def __init__(self, provinces: Sequence[PlaceRef], districts: Sequence[PlaceRef],
                 communes: Sequence[PlaceRef], children: dict[str, list[PlaceRef]]):
        self._provinces = tuple(provinces)
        self._units = self._provinces + tuple(districts) + tuple(communes)
        self._children = children
        self._by_code = {u.code: u for u in self._units}
        index: dict[str, list[PlaceRef]] = {}
        for u in self._units:
            index.setdefault(place_key(u.name), []).append(u)
        self._index = index
        self._alias_index: dict[str, list[PlaceRef]] = {}
        self._aliases: tuple[tuple[str, PlaceRef], ...] = ()
        self._name_index: dict[str, list[PlaceRef]] | None = None
        self._successors: _Successors | None = None

    def add_aliases(self, aliases: Iterable[tuple[str, PlaceRef]]) -> None:
        """Register other names of units (``lexicon/place_aliases.tsv`` at load)."""
        for alias, target in aliases:
            lst = self._alias_index.setdefault(place_key(alias), [])
            if target not in lst:
                lst.append(target)
            self._aliases += ((alias, target),)
        self._name_index = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_name_index"] = None
        state["_successors"] = None
        return state

    # ---------------------------------------------------------------- building

    @classmethod
    def load(cls, path: Path | str | None = None, *, cache: bool = True) -> "Gazetteer":
        """The gazetteer of the nested JSON of ``vietnam_provinces`` (or of ``path``).

        Built from the data (~0.15 s) or, with ``cache``, read back from a pickle
        written at the first build (~0.04 s; see :func:`_cache_file`).
        """
        data = Path(path) if path else _data_path()
        cache_file = _cache_file(data) if cache else None
        gc_was_enabled = gc.isenabled()
        gc.disable()  # ~11k small objects: the cyclic GC would only rescan them
        try:
            if cache_file is not None and cache_file.is_file():
                try:
                    with open(cache_file, "rb") as fh:
                        g = pickle.load(fh)
                    if isinstance(g, cls):
                        return g
                except Exception:  # noqa: BLE001 - a bad cache is rebuilt
                    pass
            g = cls.build(data)
        finally:
            if gc_was_enabled:
                gc.enable()
        if cache_file is not None:
            try:
                cache_file.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=cache_file.parent, suffix=".tmp")
                with os.fdopen(fd, "wb") as fh:
                    pickle.dump(g, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, cache_file)
                for stale in cache_file.parent.glob("gazetteer-*.pickle"):
                    if stale != cache_file:
                        stale.unlink(missing_ok=True)
            except OSError:
                pass
        return g

    @classmethod
    def build(cls, data: Path | str | None = None) -> "Gazetteer":
        """Build from the data file, no cache."""
        divisions = json.loads(Path(data or _data_path()).read_text(encoding="utf-8"))
        by_tier: dict[int, dict[str, str]] = {}
        for lw in LEVEL_WORDS:
            by_tier.setdefault(lw.tier, {})[lw.word] = lw.level
        prefix = {t: re.compile("(" + "|".join(sorted(map(re.escape, ws), key=len, reverse=True)) + r")\s+(.+)",
                                re.IGNORECASE | re.DOTALL)
                  for t, ws in by_tier.items()}
        width = {1: 2, 2: 3, 3: 5}

        def make(raw: str, tier: int, code: int, parent: PlaceRef | None) -> PlaceRef:
            m = prefix[tier].fullmatch(nfc(raw).strip())
            if m is None:
                raise ValueError(f"no level word in {raw!r} (tier {tier})")
            level, name = by_tier[tier][m.group(1).lower()], _bare_name(m.group(2))
            c = str(code).zfill(width[tier])
            if tier == 1 and c in _PRE_2025:
                level, name = _PRE_2025[c]
            return PlaceRef(level, name, f"{_WORD_OF[level]} {name}", parent, c)

        provinces: list[PlaceRef] = []
        districts: list[PlaceRef] = []
        communes: list[PlaceRef] = []
        children: dict[str, list[PlaceRef]] = {}
        for p in divisions:
            prov = make(p["name"], 1, p["code"], None)
            provinces.append(prov)
            kids = children[prov.code] = []
            for d in p.get("districts", ()):
                dist = make(d["name"], 2, d["code"], prov)
                districts.append(dist)
                kids.append(dist)
                wards = children[dist.code] = []
                for w in d.get("wards", ()):
                    ward = make(w["name"], 3, w["code"], dist)
                    communes.append(ward)
                    wards.append(ward)
        g = cls(provinces, districts, communes, children)
        g.add_aliases(list(g._read_aliases()))
        return g

    def _read_aliases(self) -> Iterator[tuple[str, PlaceRef]]:
        for row in _read_tsv(LEXICON / "place_aliases.tsv"):
            alias, level, name = row[:3]
            province = row[3] if len(row) > 3 and row[3] else None
            within = None
            if province:
                within = next(iter(self._direct(province, PROVINCE_LEVELS)), None)
                if within is None:
                    raise ValueError(f"place_aliases.tsv: unknown province {province!r}")
            targets = self._direct(name, frozenset([level]), within)
            if len(targets) != 1:
                raise ValueError(f"place_aliases.tsv: {alias!r} -> {level} {name!r}: {len(targets)} units")
            yield alias, targets[0]

    # ---------------------------------------------------------------- access

    def provinces(self) -> tuple[PlaceRef, ...]:
        return self._provinces

    def units(self) -> tuple[PlaceRef, ...]:
        """All units: provinces, then districts, then communes, each in code order."""
        return self._units

    def children(self, place: PlaceRef) -> list[PlaceRef]:
        """Units directly inside ``place`` (empty for communes and units not in the data)."""
        if place.code is None or self._by_code.get(place.code) != place:
            return []
        return list(self._children.get(place.code, ()))

    def by_code(self, code: str) -> PlaceRef | None:
        """Unit by official code, zero-padded: "22", "201", "06718"."""
        return self._by_code.get(code)

    def at_known_level(self, place: PlaceRef) -> PlaceRef:
        """A provincial-level unit with the level (and label) the gazetteer gives it.

        Provinces and centrally-run cities kept their level through the years articles cover
        (Cần Thơ and Đà Nẵng became cities of central rank in 2004 and 1997), so at this tier a
        level word written otherwise ("Tỉnh ủy Hà Nội", "UBND tỉnh Cần Thơ") is a slip, not a
        level: Hà Nội is "thành phố Hà Nội", a vnkg:Municipality. Below the province, units are
        upgraded often and keep the level the article writes; they are returned unchanged, as is
        any unit the gazetteer does not know by its code.
        """
        if place.parent is not None or not place.code:
            return place
        known = self._by_code.get(place.code)
        if known is None or known.parent is not None or (known.level, known.label) == (place.level, place.label):
            return place
        return replace(place, level=known.level, label=known.label)

    def aliases(self) -> tuple[tuple[str, PlaceRef], ...]:
        return self._aliases

    def __len__(self) -> int:
        return len(self._units)

    # ---------------------------------------------------------------- lookup

    def _direct(self, name: str, levels: frozenset[str] | None = None,
                within: PlaceRef | None = None, aliases: bool = True) -> list[PlaceRef]:
        key = place_key(name)
        found = list(self._index.get(key, ()))
        if aliases:
            for t in self._alias_index.get(key, ()):
                if t not in found:
                    found.append(t)
        if levels is not None:
            found = [u for u in found if u.level in levels]
        if within is not None:
            found = [u for u in found if is_within(u, within)]
        return found

    def _candidates(self, name: str, levels: frozenset[str] | None) -> tuple[list[PlaceRef], frozenset[str] | None]:
        found = self._direct(name, levels)
        if found:
            return found, levels
        word_levels, rest = split_level(name)
        if word_levels:
            levels = word_levels if levels is None else levels & word_levels
            return self._direct(rest, levels), levels
        return [], levels

    def find(self, name: str, *, level: str | Iterable[str] | None = None,
             within: PlaceRef | None = None) -> list[PlaceRef]:
        """Units named ``name`` (fold-equal, or an alias), optionally of ``level`` (a class or a
        set of classes) and inside ``within``. A leading level word restricts the level:
        find("huyện Hải Hà"). Order: units in :meth:`units` order, then alias targets."""
        found, _ = self._candidates(name, _levels_arg(level))
        if within is not None:
            found = [u for u in found if is_within(u, within)]
        return found

    def resolve(self, name: str, *, level: str | Iterable[str] | None = None,
                context: Sequence[PlaceRef] = ()) -> PlaceRef | None:
        """The unit ``name`` denotes, given the places an article is about.

        ``context`` lists places by salience (first = what the article is about). The
        scopes are the context places and their ancestors, tried from the deepest to the
        broadest; in a scope, a unit inside it, equal to it or containing it qualifies.
        The first scope with candidates decides; with none, the whole country. Among
        several candidates: the one containing all the others ("Tiên Yên" is the district,
        not its township), else the only one at the highest level (provinces before
        districts before communes: "Quảng Ninh" is the province), else None (ambiguous).

        When nothing qualifies in the context, a commune-level ``level`` (one class,
        given or read off a level word) and a district in the context (the only one, or
        that of the first place) yield a unit that is not in the data (merged before
        2025): ``PlaceRef(level, name, label, parent=district, code=None)``; likewise a
        district-level name with a province.
        """
        levels = _levels_arg(level)
        cands, levels = self._candidates(name, levels)
        ctx = [c for c in context if c is not None]
        scopes: dict[PlaceRef, None] = {}
        for c in ctx:  # the context places and, implicitly, what contains them
            q: PlaceRef | None = c
            while q is not None:
                scopes.setdefault(q)
                q = q.parent
        for scope in sorted(scopes, key=_depth, reverse=True):
            inside = [u for u in cands if is_within(u, scope) or is_within(scope, u)]
            if inside:
                return _pick(inside)
        top = [u for u in cands if u.level in ("Province", "Municipality")]
        if top:  # "TP Cần Thơ" in an article about Biên Hòa: the centrally-run city, never a made-up one
            return _pick(top)
        if levels and levels <= DISTRICT_LEVELS and cands:  # district names are rare: a real one elsewhere
            picked = _pick(cands)
            if picked is not None:
                return picked
        if ctx and levels:
            synth = self._synthesize(name, levels, ctx)
            if synth is not None:
                return synth
        return _pick(cands) if cands else None

    def _synthesize(self, name: str, levels: frozenset[str], ctx: list[PlaceRef]) -> PlaceRef | None:
        _, bare = split_level(name)
        if not bare or not any(ch.isalnum() for ch in bare):
            return None
        for tier, tier_levels in ((3, COMMUNE_LEVELS), (2, DISTRICT_LEVELS)):
            sub = levels & tier_levels
            if len(sub) != 1:
                continue
            parent = _context_ancestor(ctx, tier - 1)
            if parent is None:
                continue
            (lvl,) = sub
            cname = canonical_name(bare)
            return PlaceRef(lvl, cname, f"{_WORD_OF[lvl]} {cname}", parent, None)
        return None

    # ---------------------------------------------------------------- names for extractors

    def name_index(self) -> dict[str, list[PlaceRef]]:
        """fold(name) -> units, for all names and aliases (aliases as written in the table).

        Names without a letter ("Phường 1" has the bare name "1") are left out: they are
        only meaningful after a level word.
        """
        if self._name_index is None:
            idx: dict[str, list[PlaceRef]] = {}
            for u in self._units:
                if any(ch.isalpha() for ch in u.name):
                    idx.setdefault(_fold(u.name), []).append(u)
            for alias, t in self._aliases:
                lst = idx.setdefault(_fold(alias), [])
                if t not in lst:
                    lst.append(t)
            self._name_index = idx
        return self._name_index

    def is_place_name(self, name: str) -> bool:
        """True when ``name`` names a unit or is an alias: "Hải Hà", "TP.HCM", "phường 1"
        (a bare "1" is not: names without a letter need their level word)."""
        levels, _ = split_level(name)
        if not levels:
            return any(ch.isalpha() for ch in name) and bool(self._direct(name))
        return bool(self.find(name))

    # ---------------------------------------------------------------- 2025 reform

    def successor(self, place: PlaceRef) -> tuple[str, str] | None:
        """(label, code) of the post-2025 unit that took ``place`` over, e.g.
        tỉnh Hải Dương -> ("thành phố Hải Phòng", "31"), xã Quảng Sơn (Hải Hà) -> a new xã.

        Provinces and communes (and the island districts that became special zones);
        None for other districts (abolished), units not in the data, or without
        ``vietnamadminunits``. Loaded on first call.
        """
        if place.code is None or self._by_code.get(place.code) != place:
            return None
        if self._successors is None:
            self._successors = _Successors.load()
        return self._successors.get(place)


def _pick(cands: list[PlaceRef]) -> PlaceRef | None:
    if len(cands) == 1:
        return cands[0]
    for c in cands:
        if all(is_within(o, c) for o in cands):
            return c
    top = min(_tier(c) for c in cands)
    best = [c for c in cands if _tier(c) == top]
    return best[0] if len(best) == 1 else None


def _context_ancestor(ctx: list[PlaceRef], tier: int) -> PlaceRef | None:
    """The context's place at ``tier`` (1 province, 2 district): the only one, else that of ctx[0]."""
    def at(p: PlaceRef) -> PlaceRef | None:
        q: PlaceRef | None = p
        while q is not None and _tier(q) > tier:
            q = q.parent
        return q if q is not None and _tier(q) == tier else None

    found = list(dict.fromkeys(a for a in map(at, ctx) if a is not None))
    if len(found) == 1:
        return found[0]
    return at(ctx[0]) if found else None


# --------------------------------------------------------------------------- successors (lazy)


class _Successors:
    """Old code -> new (label, code), from the data files of ``vietnamadminunits``.

    Its converter parses address strings (and may geocode over the network); we read
    its tables directly instead, keyed by official code: legacy ward/district/province
    code -> legacy key -> new key (``converter_2025.json``) -> new unit (``parser_from_2025.json``).
    Communes split between several new units go to the package's default one.
    """

    def __init__(self, legacy: dict, conv: dict, new: dict):
        self.conv_prov = {old: newk for newk, olds in conv["DICT_PROVINCE"].items() for old in olds}
        self.prov_key = {v["provinceCode"]: k for k, v in legacy["DICT_PROVINCE"].items()}
        self.dist_key: dict[str, tuple[str, str]] = {}
        for pk, dd in legacy["DICT_PROVINCE_DISTRICT"].items():
            for dk, d in dd.items():
                self.dist_key.setdefault(str(d.get("districtCode")), (pk, dk))
        self.ward_keys: dict[str, list[str]] = {}
        for table in ("DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED", "DICT_PROVINCE_DISTRICT_WARD_ACCENTED",
                      "DICT_PROVINCE_DISTRICT_WARD_SHORT_ACCENTED"):
            for pk, dd in legacy.get(table, {}).items():
                for dk, ww in dd.items():
                    for wk, w in ww.items():
                        if isinstance(w.get("wardCode"), str):
                            self.ward_keys.setdefault(w["wardCode"], []).append(f"{pk}_{dk}_{wk}")
        self.no_divided: dict[str, tuple[str, str]] = {}
        for np_, ww in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
            for nk, olds in ww.items():
                for o in olds:
                    self.no_divided.setdefault(o, (np_, nk))
        self.divided: dict[str, tuple[str, str]] = {}
        for np_, dd in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
            for o, news in dd.items():
                default = next((n["newWardKey"] for n in news if n.get("isDefaultNewWard")), None)
                if default:
                    self.divided.setdefault(o, (np_, default))
        self.new_prov = new["DICT_PROVINCE"]
        self.new_ward: dict[tuple[str, str], dict] = {}
        for table in ("DICT_PROVINCE_WARD_NO_ACCENTED", "DICT_PROVINCE_WARD_ACCENTED",
                      "DICT_PROVINCE_WARD_SHORT_ACCENTED"):
            for np_, ww in new.get(table, {}).items():
                for nk, w in ww.items():
                    self.new_ward.setdefault((np_, nk), w)

    @classmethod
    def load(cls) -> "_Successors | None":
        import importlib.util

        try:
            spec = importlib.util.find_spec("vietnamadminunits")
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.submodule_search_locations:
            return _NoSuccessors()
        data = Path(list(spec.submodule_search_locations)[0]) / "data"
        try:
            read = lambda n: json.loads((data / n).read_text(encoding="utf-8"))  # noqa: E731
            return cls(read("parser_legacy.json"), read("converter_2025.json"), read("parser_from_2025.json"))
        except (OSError, KeyError, ValueError):
            return _NoSuccessors()

    def _province(self, pk: str) -> tuple[str, str] | None:
        newk = self.conv_prov.get(pk)
        p = self.new_prov.get(newk) if newk else None
        if not p:
            return None
        word = "thành phố" if p["province"].casefold().startswith("thành phố") else "tỉnh"
        return f"{word} {canonical_name(p['provinceShort'])}", p["provinceCode"]

    def _ward(self, old_key: str) -> tuple[str, str] | None:
        hit = self.no_divided.get(old_key) or self.divided.get(old_key)
        w = self.new_ward.get(hit) if hit else None
        if not w:
            return None
        return f"{w['wardType'].casefold()} {canonical_name(w['wardShort'])}", w["wardCode"]

    def get(self, place: PlaceRef) -> tuple[str, str] | None:
        tier = _tier(place)
        if tier == 1:
            pk = self.prov_key.get(place.code)
            return self._province(pk) if pk else None
        if tier == 2:
            pd = self.dist_key.get(place.code)
            return self._ward(f"{pd[0]}_{pd[1]}_") if pd else None  # island districts only
        for key in self.ward_keys.get(place.code, ()):
            r = self._ward(key)
            if r:
                return r
        return None


class _NoSuccessors(_Successors):
    def __init__(self):  # noqa: D401 - nothing to load
        pass

    def get(self, place: PlaceRef) -> None:
        return None


# --------------------------------------------------------------------------- module API


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared gazetteer, loaded once."""
    return Gazetteer.load()


def find(name: str, *, level=None, within: PlaceRef | None = None) -> list[PlaceRef]:
    return gazetteer().find(name, level=level, within=within)


def resolve(name: str, *, level=None, context: Sequence[PlaceRef] = ()) -> PlaceRef | None:
    return gazetteer().resolve(name, level=level, context=context)


def name_index() -> dict[str, list[PlaceRef]]:
    return gazetteer().name_index()


def is_place_name(name: str) -> bool:
    return gazetteer().is_place_name(name)


def successor(place: PlaceRef) -> tuple[str, str] | None:
    return gazetteer().successor(place)


def _bench() -> None:
    """Print load times, memory and lookup speed (``python -m loaders.gazetteer --bench``)."""
    import tracemalloc

    t0 = time.perf_counter()
    g = Gazetteer.load()  # first in the process: cold word caches; from the pickle when present
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    g = Gazetteer.build()
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    Gazetteer.load()
    t_cached = time.perf_counter() - t0
    print(f"{len(g.provinces())} provinces, {len(g)} units, {len(g.aliases())} aliases")
    print(f"load, first in process: {1000 * t_load:.0f} ms; "
          f"build from the data (no cache): {1000 * t_build:.0f} ms; "
          f"load from the cache: {1000 * t_cached:.0f} ms")
    gc.collect()
    tracemalloc.start()
    g2 = Gazetteer.build()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del g2
    print(f"memory: {current / 2**20:.1f} MiB held, {peak / 2**20:.1f} MiB peak while building")
    names = [u.name for u in g.units()]
    n = len(names)
    t0 = time.perf_counter()
    for nm in names:
        g.find(nm)
    print(f"find: {n / (time.perf_counter() - t0):,.0f} lookups/s")
    ctx = [g.find("Hải Hà", level="District")[0]]
    t0 = time.perf_counter()
    for nm in names:
        g.resolve(nm, level="Commune", context=ctx)
    print(f"resolve (commune, district context): {n / (time.perf_counter() - t0):,.0f} lookups/s")
    t0 = time.perf_counter()
    for nm in names:
        g.resolve(nm)
    print(f"resolve (no level, no context): {n / (time.perf_counter() - t0):,.0f} lookups/s")
    t0 = time.perf_counter()
    qn = g.find("Quảng Ninh", level="Province")[0]
    print(f"successor: {g.successor(qn)} for {qn.label}; "
          f"tables loaded lazily in {1000 * (time.perf_counter() - t0):.0f} ms")


if __name__ == "__main__":
    if "--bench" in sys.argv[1:]:
        _bench()
    else:
        print(__doc__)
