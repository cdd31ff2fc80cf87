"""Offline geocoding of what members type: coordinates, postal codes, places, addresses.

Pure: a :class:`Gazetteer` is built from frames the IO layer loads, and geocoding reads
nothing from disk. Explicit coordinates come first. The template's columns
(:func:`geocode_site`) keep DESIGN.md section 4.3's order: coordinates, else a postal code
(full or FSA), else a municipality or community. In free text (:func:`geocode`) a
community named beside a postal code wins, being the finer of the two. The precision
reached is always returned so screens can show how good a point is.

Municipality of a point: the polygon that contains it. Each polygon carries its own
``boundary_tolerance_m`` (50 m for the exact London-CMA municipalities of the shared
copy, 600 m for the generalised others, a few metres for official files): only a point
nearer than that to an edge is uncertain, and the answer then names the neighbours it
could belong to.

Names: every populated place of the gazetteer is indexed under its normalised name
(:func:`~cartography.geography.place_key`). A name held by places of several
municipalities is ambiguous and answered with the candidates, never silently; a
qualifier ("Springfield, Malahide", "Springfield, Elgin", "Komoka (Middlesex Centre)")
settles it. A street address resolves to the community it names, with a note that the
street itself is not placed (there is no street network offline).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from cartography.errors import UserError
from cartography.geography import CRS_DISPLAY, CRS_METRIC, place_key, region_of
from cartography.i18n import t
from cartography.vocabulary import REGIONS

if TYPE_CHECKING:  # frames come in from the caller: store-only commands need not load geopandas
    import geopandas as gpd

PRECISIONS = ("coordinates", "postal_fsa", "place", "municipality")

#: Used when a municipality layer carries no ``boundary_tolerance_m`` column.
DEFAULT_TOLERANCE_M = 25.0

_NUM = r"-?\d{1,3}(?:[.,]\d+)?"
_COORDS = re.compile(rf"^\s*\(?\s*({_NUM})\s*[,;\s]\s*({_NUM})\s*\)?\s*$")
_COORDS_DOT = re.compile(r"^\s*\(?\s*(-?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*\)?\s*$")
#: 42°59'N 81°14'W, 42.98 N, 81.25 W, 42°58'59.4"N 81°14'58.9"W
_DMS_PART = (
    r"(\d{1,3}(?:[.,]\d+)?)\s*°?\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*['’′]\s*)?"
    r"(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:\"|”|″|''|’’)\s*)?\s*([NSEOWnseow])"
)
_DMS = re.compile(rf"^\s*{_DMS_PART}\s*[,;]?\s*{_DMS_PART}\s*$")
_POSTAL = re.compile(r"^([A-Z]\d[A-Z])(\d[A-Z]\d)?$")
_POSTAL_ANYWHERE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]\d[A-Za-z])[\s-]?(\d[A-Za-z]\d)(?![A-Za-z0-9])")
_FSA_ALONE = re.compile(r"^\s*([A-Za-z]\d[A-Za-z])\s*$")
#: An FSA followed by a broken LDU ("N6A 3K", "N6A 3K7X"): a postal code typed wrong.
_BAD_POSTAL = re.compile(r"^\s*[A-Za-z]\d[A-Za-z][\s-]*\d[A-Za-z0-9]{0,3}\s*$")
_POSTALISH = re.compile(r"^[A-Za-z]\d[A-Za-z][\s-]*\w*$")
#: Words that make a part of an address a street (English and French).
_STREET_TYPES = frozenset(
    {
        "street", "st", "str", "avenue", "ave", "av", "road", "rd", "drive", "dr", "boulevard",
        "blvd", "boul", "crescent", "cres", "cr", "court", "crt", "ct", "lane", "ln", "line", "way",
        "place", "pl", "terrace", "terr", "circle", "cir", "trail", "trl", "parkway", "pkwy",
        "highway", "hwy", "concession", "conc", "con", "sideroad", "sdrd", "townline", "gate", "sq",
        "square", "row", "rue", "chemin", "ch", "rang", "route", "rte", "promenade", "prom",
        "allee", "impasse", "montee", "cote"
    }
)  # fmt: skip
_UNKNOWN = ("geocode.error.unknown", "geocode.error.did_you_mean")
#: Provinces, states and countries other than Ontario/Canada: a name qualified by one of
#: them ("Aylmer, QC", "London, UK") is not the region's namesake.
_ELSEWHERE = frozenset(
    {"qc", "quebec", "qc canada", "bc", "british columbia", "colombie britannique", "ab", "alberta",
     "mb", "manitoba", "sk", "saskatchewan", "ns", "nova scotia", "nouvelle ecosse", "nb",
     "new brunswick", "nouveau brunswick", "nl", "newfoundland", "terre neuve", "pe", "pei",
     "prince edward island", "ile du prince edouard", "yt", "yukon", "nt", "nu", "nunavut",
     "northwest territories", "uk", "u k", "united kingdom", "royaume uni", "england", "angleterre",
     "usa", "u s a", "us", "united states", "etats unis", "mi", "michigan", "ny", "new york", "oh",
     "ohio", "france", "ky", "kentucky", "ct", "connecticut", "nh", "new hampshire", "ma",
     "massachusetts", "il", "illinois", "ar", "arkansas", "tx", "texas", "sc", "south carolina"}
)  # fmt: skip
#: First words of an address part that is neither a street nor a place (rural route, box, unit).
_ADDRESS_LEADS = re.compile(
    r"^(rr|r r|rural route|po box|p o box|box|unit|suite|apt|app|appartement|bureau|cp|c p|"
    r"case postale|site|comp|gd|general delivery|poste restante)\b"
)
_COORD_WORDS = re.compile(r"(?i)\b(latitude|longitude|lat|lon|long|lng)\b\s*[:=]?")
_NOT_A_PLACE = frozenset({"on", "ont", "ontario", "canada", "ca", "can", "onatrio"})


@dataclass(frozen=True)
class Geocode:
    """Where a text was placed, how precisely, and in which municipality and region.

    ``candidates`` holds the CSDUIDs of the other municipalities an uncertain point may
    belong to; ``place`` the community found when the answer came from a name.
    """

    query: str
    latitude: float
    longitude: float
    precision: str
    csduid: str
    municipality: str
    region: str
    uncertain: bool = False
    note_fr: str = ""
    note_en: str = ""
    candidates: tuple[str, ...] = ()
    place: str = ""

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["candidates"] = list(self.candidates)
        return out


@dataclass(frozen=True)
class _Entry:
    name: str
    latitude: float
    longitude: float
    csduid: str
    is_municipality: bool
    rank: int = 0  # lower is a better point (municipality, GeoNames, CGNDB community...)


@dataclass(frozen=True)
class _Located:
    """Where a point falls: its municipality, how near an edge, and who else it could be."""

    csduid: str
    uncertain: bool
    others: tuple[str, ...]
    edge_m: float
    tolerance_m: float
    near_outside: bool


@dataclass
class _Parsed:
    name: str = ""
    qualifiers: list[str] = field(default_factory=list)
    street: str = ""
    postal: str = ""
    embedded: list[str] = field(default_factory=list)  # localities found inside a street part
    elsewhere: str = ""  # another province or country named ("Aylmer, QC", "London, UK")


#: EPSG codes of the NAD83(CSRS) UTM zones (north), from the PROJ database: a table, because
#: querying the database for each gazetteer costs half a second.
_CSRS_UTM = {
    7: 3154, 8: 3155, 9: 3156, 10: 3157, 11: 2955, 12: 2956, 13: 2957, 14: 3158, 15: 3159,
    16: 3160, 17: 2958, 18: 2959, 19: 2960, 20: 2961, 21: 2962, 22: 3761, 23: 9709, 24: 9713,
}  # fmt: skip


def _utm_crs(lon: float, lat: float) -> CRS:
    """The UTM zone of a point (NAD83(CSRS) in Canada): distances within 0.1 % on the ground."""
    zone = int((lon + 180) // 6) + 1
    if lat >= 0 and zone in _CSRS_UTM:
        return CRS.from_epsg(_CSRS_UTM[zone])
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


class Gazetteer:
    """Names, FSAs and municipality polygons of the region, ready for look-ups.

    Parameters
    ----------
    places
        The gazetteer (``places.csv`` layout): name, place_type, lat, lon, CSDUID,
        alternate_names, and optionally source, CDUID, CDNAME, generic_term.
    municipalities
        CSD polygons with ``CSDUID`` and ``CSDNAME``, and ``boundary_tolerance_m`` (how far
        from its edge a point may in truth belong to the neighbour; 25 m when absent).
    fsa_municipalities
        One row per FSA: ``CFSAUID``, ``kind`` (urban/rural), ``CSDUID`` (blank when the
        principal place is outside the region or the FSA is rural).
    outside_places
        Optional places beyond the region (``name``, ``lat``, ``lon``, ``admin``): a name
        found only there is answered "outside the region" rather than "unknown".
    """

    def __init__(
        self,
        places: pd.DataFrame,
        municipalities: gpd.GeoDataFrame,
        fsa_municipalities: pd.DataFrame,
        outside_places: pd.DataFrame | None = None,
    ) -> None:
        display = municipalities.to_crs(CRS_DISPLAY)
        centre = shapely.union_all(display.geometry.values).centroid
        # Tolerances are ground metres: compare them in a local UTM zone, not in a conformal
        # national projection that stretches this region by ~2.7 %.
        self._crs = _utm_crs(centre.x, centre.y)
        self._centre = (float(centre.x), float(centre.y))
        local = municipalities.to_crs(self._crs).reset_index(drop=True)
        if "boundary_tolerance_m" in local.columns:
            tolerance = pd.to_numeric(local["boundary_tolerance_m"], errors="coerce").fillna(DEFAULT_TOLERANCE_M)
        else:
            tolerance = pd.Series(DEFAULT_TOLERANCE_M, index=local.index)
        self._ids = local["CSDUID"].astype(str).to_numpy()
        self._names = dict(zip(self._ids, local["CSDNAME"].astype(str), strict=True))
        self._geoms = np.asarray(local.geometry.values, dtype=object)
        self._edges = shapely.boundary(self._geoms)
        self._tolerance = tolerance.astype(float).to_numpy()
        self._max_tolerance = float(self._tolerance.max()) if len(self._tolerance) else 0.0
        self._tree = shapely.STRtree(self._geoms)
        self._outline = shapely.boundary(shapely.union_all(self._geoms))
        self._to_local = Transformer.from_crs(CRS_DISPLAY, self._crs, always_xy=True)
        self._metric_to_local = Transformer.from_crs(CRS_METRIC, self._crs, always_xy=True)
        self._entries: dict[str, list[_Entry]] = {}
        self._compact: dict[str, str] = {}
        self._muni_key: dict[str, str] = {}
        self._county_keys: dict[str, str] = {}
        self._fsa_points: dict[str, tuple[float, float]] = {}
        self._outside: dict[str, tuple[str, float, float, str]] = {}
        self._build(places)
        if outside_places is not None:
            self._build_outside(outside_places)
        self._fsa = {
            str(row["CFSAUID"]).upper(): (str(row["kind"]), "" if pd.isna(row["CSDUID"]) else str(row["CSDUID"]))
            for row in fsa_municipalities.to_dict("records")
        }

    # -- building ------------------------------------------------------------------------
    def _build(self, places: pd.DataFrame) -> None:
        kinds = places["place_type"].astype(str)
        named_rows = places[kinds == "populated_place"]
        for row in places[kinds == "fsa_centroid"].to_dict("records"):
            self._fsa_points[str(row["name"]).upper()] = (float(row["lat"]), float(row["lon"]))
        if {"CDUID", "CDNAME"} <= set(places.columns):
            for cd, name in places[["CDUID", "CDNAME"]].dropna().drop_duplicates().itertuples(index=False):
                self._county_keys[place_key(str(name))] = _clean_id(cd)
        municipal_entries = self._add_municipalities(places[kinds.str.startswith("census_subdivision")], named_rows)
        self._add_places(named_rows, municipal_entries)

    def _add_municipalities(self, csd_rows: pd.DataFrame, named_rows: pd.DataFrame) -> dict[str, _Entry]:
        """One entry per municipality of the geography, under each of its names; by CSDUID."""
        # A GeoNames town centre is a better point than the representative point of a
        # polygon, so a municipality borrows it when it is its namesake.
        best_point: dict[str, tuple[float, float]] = {}
        for row in named_rows.to_dict("records"):
            csd = _clean_id(row["CSDUID"])
            if csd and place_key(row["name"]) == place_key(self._names.get(csd, "")):
                best_point.setdefault(csd, (float(row["lat"]), float(row["lon"])))
        municipal_points: dict[str, tuple[float, float]] = {}
        for row in csd_rows.to_dict("records"):
            municipal_points[_clean_id(row["CSDUID"])] = (float(row["lat"]), float(row["lon"]))
        municipal_entries: dict[str, _Entry] = {}
        for csd, name in self._names.items():
            if csd in best_point:
                lat, lon = best_point[csd]
            elif csd in municipal_points:
                lat, lon = municipal_points[csd]
            else:
                lat, lon = self._point_on_surface(csd)
            entry = _Entry(name, float(lat), float(lon), csd, True, 0)
            municipal_entries[csd] = entry
            for alias in _municipal_aliases(name):
                key = place_key(alias)
                if key:
                    self._muni_key.setdefault(key, csd)
                    self._add(key, entry)
        return municipal_entries

    def _point_on_surface(self, csd: str) -> tuple[float, float]:
        """A point (latitude, longitude) inside a municipality's polygon, for one the gazetteer lacks."""
        index = int(np.flatnonzero(self._ids == csd)[0])
        rep = shapely.point_on_surface(self._geoms[index])
        lon, lat = Transformer.from_crs(self._crs, CRS_DISPLAY, always_xy=True).transform(rep.x, rep.y)
        return lat, lon

    def _add_places(self, named_rows: pd.DataFrame, municipal_entries: dict[str, _Entry]) -> None:
        """Populated places under each of their names; a municipality's namesake town means the
        municipality, and a place listed outside the region is kept to answer "outside"."""
        has_source = "source" in named_rows.columns
        has_term = "generic_term" in named_rows.columns
        for row in named_rows.to_dict("records"):
            csd = _clean_id(row["CSDUID"])
            if csd and csd not in self._names:
                continue  # a municipality this geography does not hold
            source = str(row["source"]) if has_source else ""
            term = str(row["generic_term"]) if has_term and isinstance(row["generic_term"], str) else ""
            rank = 1 if source == "GeoNames" else 2 if "Community" in term else 3
            entry = _Entry(str(row["name"]), float(row["lat"]), float(row["lon"]), csd, False, rank)
            namesake = csd in municipal_entries and place_key(row["name"]) == place_key(self._names[csd])
            if namesake:
                # The town that gives the municipality its name: its other spellings
                # ("Tilsonburg", "Ingersol") mean the municipality too.
                entry = municipal_entries[csd]
            names = [str(row["name"])]
            if isinstance(row["alternate_names"], str):
                names += [n for n in row["alternate_names"].split("|") if n.isascii() and n.strip()]
            for name in names:
                key = place_key(name)
                if not key:
                    continue
                if not csd:
                    # Listed but outside the region (New Dundee): answered "outside".
                    self._outside.setdefault(key, (str(row["name"]), float(row["lat"]), float(row["lon"]), ""))
                    continue
                if namesake:
                    self._muni_key.setdefault(key, csd)
                self._add(key, entry)

    def _build_outside(self, frame: pd.DataFrame) -> None:
        # One name, several provinces: the Ontario place, then the largest, is the one meant.
        order = pd.DataFrame(
            {
                "other_province": frame.get("admin", pd.Series("", index=frame.index)).astype(str) != "ON",
                "population": -pd.to_numeric(
                    frame.get("population", pd.Series(0, index=frame.index)), errors="coerce"
                ).fillna(0),
            },
            index=frame.index,
        ).sort_values(["other_province", "population"], kind="stable")
        for row in frame.loc[order.index].to_dict("records"):
            key = place_key(str(row["name"]))
            if key and key not in self._entries:
                admin = str(row.get("admin", "") or "")
                self._outside.setdefault(key, (str(row["name"]), float(row["lat"]), float(row["lon"]), admin))

    def _add(self, key: str, entry: _Entry) -> None:
        entries = self._entries.setdefault(key, [])
        for i, old in enumerate(entries):
            if old.csduid == entry.csduid:
                if (entry.is_municipality, -entry.rank) > (old.is_municipality, -old.rank):
                    entries[i] = entry
                return
        entries.append(entry)
        self._compact.setdefault(key.replace(" ", ""), key)

    # -- public look-ups -----------------------------------------------------------------
    @property
    def municipality_names(self) -> dict[str, str]:
        """CSDUID -> official name of the region's municipalities."""
        return dict(self._names)

    def name_of(self, csduid: str) -> str:
        return self._names.get(csduid, "")

    def entries(self, text: str) -> list[_Entry]:
        """Every gazetteer entry a name may mean (several when it is ambiguous).

        A municipality's own name means the municipality, never a namesake hamlet.
        """
        key = place_key(text)
        found = self._entries.get(key)
        if found is None:
            compact = self._compact.get(key.replace(" ", ""))
            found = self._entries.get(compact, []) if compact else []
        municipal = [e for e in found if e.is_municipality]
        return municipal[:1] if municipal else sorted(found, key=lambda e: (e.rank, self.name_of(e.csduid)))

    def is_county(self, text: str) -> bool:
        """Whether ``text`` names one of the region's counties ("Elgin", "Oxford County")."""
        return place_key(text) in self._county_keys

    def find_name(self, text: str) -> _Entry | None:
        """The gazetteer entry a name means, or ``None`` if unknown or ambiguous."""
        found = self.entries(text)
        return found[0] if len(found) == 1 else None

    def outside_place(self, text: str) -> tuple[str, float, float, str] | None:
        """(name, lat, lon, admin area) of a known place beyond the region, or ``None``."""
        return self._outside.get(place_key(text))

    def label(self, entry: _Entry) -> str:
        """How a choice is shown: "Komoka (Middlesex Centre)", or "London" for a municipality."""
        if entry.is_municipality or place_key(entry.name) == place_key(self.name_of(entry.csduid)):
            return self.name_of(entry.csduid) or entry.name
        return f"{entry.name} ({self.name_of(entry.csduid)})"

    def community_choices(self) -> list[tuple[str, str]]:
        """Every municipality and community of the region as (label, CSDUID), sorted.

        For drop-down lists and the online form: "Komoka (Middlesex Centre)" tells the member
        which municipality a hamlet belongs to, and the label geocodes back to that entry.
        """
        seen: dict[str, str] = {}
        for entries in self._entries.values():
            for entry in entries:
                if entry.csduid:
                    seen.setdefault(self.label(entry), entry.csduid)
        return sorted(seen.items(), key=lambda item: (_fold(item[0]), item[1]))

    def matches_qualifier(self, entry: _Entry, qualifier: str) -> bool:
        """Whether "Malahide", "Elgin", "Elgin County" or a neighbouring place fits ``entry``."""
        key = place_key(qualifier)
        if not key:
            return False
        if self._muni_key.get(key) == entry.csduid:
            return True
        if self._county_keys.get(key) == entry.csduid[:4]:
            return True
        region = region_of(entry.csduid)
        if region is not None and key in {place_key(REGIONS.label(region, lang)) for lang in ("fr", "en")}:
            return True
        return any(e.csduid == entry.csduid for e in self._entries.get(key, []))

    def closest(self, text: str, n: int = 3) -> list[_Entry]:
        """Known entries closest in spelling to ``text``, best first."""
        key = place_key(text).replace(" ", "")
        if len(key) < 3:
            return []
        scored = []
        for full_key, entries in self._entries.items():
            compact = full_key.replace(" ", "")
            distance = _edit_distance(key, compact, limit=max(2, len(key) // 3))
            if distance is None:
                continue
            prefix = 0 if compact.startswith(key[:3]) else 1
            for entry in entries:
                scored.append((distance, prefix, entry.rank, entry.name, entry))
        scored.sort(key=lambda s: s[:4])
        out: list[_Entry] = []
        for *_, entry in scored:
            if entry not in out:
                out.append(entry)
            if len(out) == n:
                break
        return out

    def closest_names(self, text: str, n: int = 3) -> list[str]:
        """Labels of the closest known names, for "did you mean" suggestions.

        A place is labelled with its municipality ("Port Burwell (Bayham)"), so a suggestion
        that lies in another municipality says so.
        """
        return list(dict.fromkeys(self.label(e) for e in self.closest(text, n)))

    def correction(self, text: str) -> str | None:
        """The one known name ``text`` is a plain typo of (one letter off, two in long names).

        Returns that name's key, whose entries may still be several places (then the answer
        is an ambiguity, as for the name spelt right). ``None`` when no name is that close,
        when two different names are, or when a place beyond the region is at least as close:
        a typo is corrected only when the correction cannot be another place.
        """
        key = place_key(text).replace(" ", "")
        low, best = _nearest_keys(key, self._entries)
        if not best:
            return None
        names = {place_key(e.name) for k in best for e in self._entries[k]}
        if len(names) != 1:
            return None
        for outside_key in self._outside:
            distance = _edit_distance(key, outside_key.replace(" ", ""), limit=low)
            if distance is not None and distance <= low:
                return None
        return best[0]

    def outside_correction(self, text: str) -> tuple[str, float, float, str] | None:
        """The place beyond the region that ``text`` is a plain typo of, if exactly one is."""
        _, best = _nearest_keys(place_key(text).replace(" ", ""), self._outside)
        return self._outside[best[0]] if len(best) == 1 else None

    # -- points --------------------------------------------------------------------------
    def locate(self, latitude: float, longitude: float) -> _Located:
        """The municipality of a point, by polygon, with each polygon's own tolerance.

        Raises ``LookupError`` when the point is farther from every municipality than its
        tolerance: it is outside the region.
        """
        x, y = self._to_local.transform(longitude, latitude)
        if not (np.isfinite(x) and np.isfinite(y)):
            raise LookupError("outside")
        return self._locate_local(shapely.Point(x, y))

    def _locate_local(self, point: shapely.Point) -> _Located:
        near = self._tree.query(point, predicate="dwithin", distance=self._max_tolerance)
        if len(near) == 0:
            raise LookupError("outside")
        near = np.sort(near)
        distances = shapely.distance(self._geoms[near], point)
        inside = near[distances == 0]
        if len(inside):
            home = int(inside[0])
            tolerance = float(self._tolerance[home])
            edge = float(shapely.distance(self._edges[home], point))
            others = tuple(
                str(self._ids[i]) for i, d in zip(near, distances, strict=True) if i != home and d <= tolerance
            )
            uncertain = edge <= tolerance
            near_outside = uncertain and float(shapely.distance(self._outline, point)) <= tolerance
            return _Located(str(self._ids[home]), uncertain, others, edge, tolerance, near_outside)
        possible = [(float(d), int(i)) for i, d in zip(near, distances, strict=True) if d <= self._tolerance[i]]
        if not possible:
            raise LookupError("outside")
        possible.sort()
        home = possible[0][1]
        others = tuple(str(self._ids[i]) for _, i in possible[1:])
        return _Located(str(self._ids[home]), True, others, possible[0][0], float(self._tolerance[home]), True)

    def municipality_of_point(self, latitude: float, longitude: float) -> tuple[str, bool, list[str]]:
        """CSDUID of a point, whether that is uncertain, and the other candidates.

        Raises ``LookupError`` if no municipality is within its tolerance.
        """
        found = self.locate(latitude, longitude)
        return found.csduid, found.uncertain, list(found.others)

    def municipalities_of(self, xy: np.ndarray) -> np.ndarray:
        """CSDUID of many points given in :data:`CRS_METRIC` metres (tract centres, say).

        One spatial-index query for all points: the polygon that contains each point, else
        the nearest one within its tolerance, else ``""`` (outside the region).
        """
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        out = np.full(len(xy), "", dtype=object)
        if not len(xy):
            return out
        lx, ly = self._metric_to_local.transform(xy[:, 0], xy[:, 1])
        points = np.asarray(shapely.points(np.column_stack([lx, ly])))  # an array for an array in
        point_index, poly_index = self._tree.query(points, predicate="intersects")
        first = np.unique(point_index, return_index=True)[1]
        out[point_index[first]] = self._ids[poly_index[first]]
        missing = np.flatnonzero(out == "")
        if len(missing):
            (p_idx, g_idx), dist = self._tree.query_nearest(
                points[missing], max_distance=self._max_tolerance, return_distance=True, all_matches=False
            )
            ok = dist <= self._tolerance[g_idx]
            out[missing[p_idx[ok]]] = self._ids[g_idx[ok]]
        return out

    def fsa(self, code: str) -> tuple[str, str, tuple[float, float] | None] | None:
        """(kind, CSDUID, centroid) of an FSA touching the region, ``None`` if unknown."""
        found = self._fsa.get(code.upper())
        if found is None:
            return None
        return found[0], found[1], self._fsa_points.get(code.upper())

    def distance_km_to_region(self, latitude: float, longitude: float) -> float:
        """Ground distance in km from a point to the nearest municipality of the region."""
        x, y = self._to_local.transform(longitude, latitude)
        if np.isfinite(x) and np.isfinite(y) and abs(longitude - self._centre[0]) < 20:
            return float(shapely.distance(self._outline, shapely.Point(x, y))) / 1000
        # Far beyond the UTM zone: the great-circle distance to the region's centre will do.
        return _haversine_km(latitude, longitude, self._centre[1], self._centre[0])


#: French names francophone members use for a municipality of the region.
_FRENCH_NAMES = {"London": ("Londres",)}


def _municipal_aliases(name: str) -> list[str]:
    """A municipality's name and the short forms members use ("Oneida" for "Oneida 41")."""
    out = [name, *_FRENCH_NAMES.get(name, ())]
    short = re.sub(r"\s+\d+$", "", name)
    out.append(short)
    for suffix in (" First Nation", " Nation"):
        if short.endswith(suffix):
            out.append(short[: -len(suffix)])
    return list(dict.fromkeys(a for a in out if a.strip()))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _nearest_keys(key: str, keys: Iterable[str]) -> tuple[int, list[str]]:
    """The keys a plain typo away from ``key`` (one letter, two in names of 10 or more), at
    the smallest distance found, with that distance; none for keys under 6 letters, where
    one letter changes the place."""
    if len(key) < 6:
        return 0, []
    limit = 1 if len(key) < 10 else 2
    found = [
        (distance, candidate)
        for candidate in keys
        if (distance := _edit_distance(key, candidate.replace(" ", ""), limit=limit)) is not None
    ]
    if not found:
        return 0, []
    low = min(d for d, _ in found)
    return low, [k for d, k in found if d == low]


def _edit_distance(a: str, b: str, limit: int) -> int | None:
    """Optimal string alignment distance (a swap counts one), ``None`` beyond ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return None
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return None
        previous2, previous = previous, current
    return previous[-1] if previous[-1] <= limit else None


def _clean_id(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value).strip()
    if text.lower() in ("", "nan", "none"):
        return ""
    return text[:-2] if text.endswith(".0") else text


def _notes(*keys_and_fields: tuple[str, dict[str, object]]) -> tuple[str, str]:
    fr = " ".join(t(key, "fr", **fields) for key, fields in keys_and_fields)
    en = " ".join(t(key, "en", **fields) for key, fields in keys_and_fields)
    return fr, en


def _result(
    gaz: Gazetteer,
    query: str,
    lat: float,
    lon: float,
    precision: str,
    csduid: str,
    uncertain: bool = False,
    note_key: str | None = None,
    **fields: object,
) -> Geocode:
    region = region_of(csduid)
    if region is None:
        raise UserError("geocode.error.outside", text=query)
    return Geocode(
        query=query,
        latitude=round(float(lat), 6),
        longitude=round(float(lon), 6),
        precision=precision,
        csduid=csduid,
        municipality=gaz.name_of(csduid),
        region=region,
        uncertain=uncertain,
        note_fr=t(note_key, "fr", **fields) if note_key else "",
        note_en=t(note_key, "en", **fields) if note_key else "",
    )


def _with_notes(result: Geocode, *notes: tuple[str, dict[str, object]], **changes: object) -> Geocode:
    """A copy of ``result`` with notes appended (existing notes kept first)."""
    fr, en = _notes(*notes) if notes else ("", "")
    return Geocode(
        **{
            **asdict(result),
            "note_fr": " ".join(n for n in (result.note_fr, fr) if n),
            "note_en": " ".join(n for n in (result.note_en, en) if n),
            **changes,
        }
    )


def geocode_coordinates(gaz: Gazetteer, latitude: float, longitude: float, query: str = "") -> Geocode:
    """Place explicit coordinates and find their municipality, saying when unsure."""
    query = query or f"{latitude}, {longitude}"
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise UserError("geocode.error.coordinates", text=query)
    try:
        found = gaz.locate(latitude, longitude)
    except LookupError:
        km = gaz.distance_km_to_region(latitude, longitude)
        raise UserError("geocode.error.outside_point", text=query, km=_km(km)) from None
    result = _result(gaz, query, latitude, longitude, "coordinates", found.csduid)
    if not found.uncertain:
        return result
    possible = [gaz.name_of(o) for o in found.others]
    key = "geocode.note.near_edge" if possible else "geocode.note.near_outline"
    fields: dict[str, object] = {
        "name": gaz.name_of(found.csduid),
        "edge": round(found.edge_m),
        "tolerance": round(found.tolerance_m),
        "others": ", ".join(possible),
    }
    notes = [(key, fields)]
    if possible and found.near_outside:
        notes.append(("geocode.note.also_outside", {}))
    return _with_notes(result, *notes, uncertain=True, candidates=tuple(found.others))


def geocode_postal(gaz: Gazetteer, code: str, place: str = "", query: str = "") -> Geocode:
    """Place a full postal code or an FSA; a rural FSA needs ``place`` to say where."""
    compact = re.sub(r"[\s-]", "", code).upper()
    query = query or code
    match = _POSTAL.match(compact)
    if not match:
        raise UserError("geocode.error.postal_format", text=code)
    fsa_code = match.group(1)
    pretty = f"{fsa_code} {match.group(2)}" if match.group(2) else fsa_code
    found = gaz.fsa(fsa_code)
    if found is None:
        raise UserError("geocode.error.postal_outside", code=pretty)
    kind, csduid, point = found
    if kind == "rural" or not csduid:
        if place:
            named = geocode_name(gaz, place, query=query)
            return _with_notes(named, ("geocode.note.fsa_place", {"fsa": fsa_code}))
        if kind == "rural":
            raise UserError("geocode.error.postal_rural", code=pretty, fsa=fsa_code, example="Strathroy")
        raise UserError("geocode.error.postal_outside", code=pretty)
    if point is None:
        entry = gaz.find_name(gaz.name_of(csduid))
        point = (entry.latitude, entry.longitude) if entry else (np.nan, np.nan)
    note = "geocode.note.postal_full" if match.group(2) else None
    return _result(gaz, query, point[0], point[1], "postal_fsa", csduid, False, note, fsa=fsa_code)


def _from_entry(gaz: Gazetteer, entry: _Entry, query: str) -> Geocode:
    precision = "municipality" if entry.is_municipality else "place"
    result = _result(gaz, query, entry.latitude, entry.longitude, precision, entry.csduid)
    return Geocode(**{**asdict(result), "place": entry.name})


_Note = tuple[str, dict[str, object]]


def _resolve(gaz: Gazetteer, name: str, qualifiers: list[str], query: str) -> Geocode:
    """A name (with optional municipality, county or neighbouring-place qualifiers)."""
    if re.search(r"\b(county|comte|cty)\b", _fold(name)) and gaz.is_county(name):
        raise UserError("geocode.error.county", text=name)
    entries, correction_note = _entries_or_correction(gaz, name)
    chosen, ignored, near_note = _qualified(gaz, entries, qualifiers)
    entry = _finer_place(gaz, _only_one(gaz, chosen, name, query), qualifiers)
    result = _from_entry(gaz, entry, query)
    notes = [n for n in (correction_note, near_note) if n]
    known = [q for q in ignored if gaz.entries(q) or gaz.is_county(q)]
    if known:
        notes.append(("geocode.note.qualifier_ignored", {"label": gaz.label(entry), "qualifier": ", ".join(known)}))
    return _with_notes(result, *notes) if notes else result


def _entries_or_correction(gaz: Gazetteer, name: str) -> tuple[list[_Entry], _Note | None]:
    """The places called ``name``, else those of its clear spelling correction (with a note).

    A name known only outside the region, or unknown, raises a :class:`UserError` that says
    so (with the closest names when there are some).
    """
    entries = gaz.entries(name)
    if entries:
        return entries, None
    outside = gaz.outside_place(name)
    if outside is not None:
        raise UserError("geocode.error.outside_place", text=name, **_outside_fields(gaz, outside))
    corrected = gaz.correction(name)
    if corrected is None:
        near_outside = gaz.outside_correction(name)
        if near_outside is not None:
            raise UserError("geocode.error.outside_place", text=name, **_outside_fields(gaz, near_outside))
        suggestions = gaz.closest_names(name)
        if suggestions:
            raise UserError("geocode.error.did_you_mean", text=name, names=" ; ".join(suggestions))
        raise UserError("geocode.error.unknown", text=name)
    entries = gaz.entries(corrected)
    shown = gaz.label(entries[0]) if len({e.csduid for e in entries}) == 1 else entries[0].name
    return entries, ("geocode.note.corrected", {"text": name, "name": shown})


def _qualified(
    gaz: Gazetteer, entries: list[_Entry], qualifiers: list[str]
) -> tuple[list[_Entry], list[str], _Note | None]:
    """The entries the qualifiers leave, the qualifiers set aside, and a note when the
    answer is the place nearest a neighbouring place named as qualifier."""
    if not qualifiers:
        return entries, [], None
    fitting = [e for e in entries if all(gaz.matches_qualifier(e, q) for q in qualifiers)]
    if fitting:
        return fitting, [], None
    if (nearest := _nearest_to_qualifier(gaz, entries, qualifiers)) is not None:
        return [nearest[0]], [], ("geocode.note.nearest_to", {"label": gaz.label(nearest[0]), "qualifier": nearest[1]})
    if len({e.csduid for e in entries}) == 1:
        # "Arva, London": a mailing town beside the community. The community is the
        # finer answer; the member is told which municipality it is really in.
        return entries, [q for q in qualifiers if not gaz.matches_qualifier(entries[0], q)], None
    return entries, [], None


def _only_one(gaz: Gazetteer, chosen: list[_Entry], name: str, query: str) -> _Entry:
    """The one place meant; places in several municipalities are an ambiguity for the member
    to settle, and a place outside the four counties is refused."""
    by_csd = {e.csduid: e for e in chosen}
    if len(by_csd) > 1:
        labels = [gaz.label(e) for e in by_csd.values()]
        first = next(iter(by_csd.values()))
        raise UserError(
            "geocode.error.ambiguous",
            text=query,
            choices=" ; ".join(labels),
            example=f"{first.name}, {gaz.name_of(first.csduid)}",
            csduids=",".join(by_csd),
        )
    entry = chosen[0]
    if not entry.csduid or region_of(entry.csduid) is None:
        raise UserError("geocode.error.outside", text=name)
    return entry


def _finer_place(gaz: Gazetteer, entry: _Entry, qualifiers: list[str]) -> _Entry:
    """ "Strathroy-Caradoc, Mount Brydges": the place inside the municipality is the finer answer."""
    if entry.is_municipality:
        for qualifier in qualifiers:
            inner = [e for e in gaz.entries(qualifier) if e.csduid == entry.csduid and not e.is_municipality]
            if len(inner) == 1:
                return inner[0]
    return entry


def _nearest_to_qualifier(gaz: Gazetteer, entries: list[_Entry], qualifiers: list[str]) -> tuple[_Entry, str] | None:
    """ "Springfield, Aylmer": the candidate clearly nearest a known neighbouring place.

    Clearly: within 15 km of it and less than half as far as any other candidate; anything
    less certain stays an ambiguity for the member to settle.
    """
    if len({e.csduid for e in entries}) < 2:
        return None
    for qualifier in qualifiers:
        anchor = gaz.find_name(qualifier)
        if anchor is None:
            continue
        ranked = sorted(
            (_haversine_km(e.latitude, e.longitude, anchor.latitude, anchor.longitude), i)
            for i, e in enumerate(entries)
        )
        (best, index), (second, _) = ranked[0], ranked[1]
        if best <= 15 and best * 2 < second:
            return entries[index], qualifier
    return None


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return float(6371.0 * 2 * np.arcsin(np.sqrt(a)))


def _outside_fields(gaz: Gazetteer, outside: tuple[str, float, float, str]) -> dict[str, object]:
    name, lat, lon, admin = outside
    km = gaz.distance_km_to_region(lat, lon)
    return {"place": f"{name} ({admin})" if admin else name, "km": _km(km)}


def _km(km: float) -> int:
    """Whole kilometres, at least 1: the same figure reads right in French and English."""
    return max(1, round(km))


def geocode_name(gaz: Gazetteer, name: str, query: str = "") -> Geocode:
    """Place a municipality or community name, forgiving spelling variants.

    "Komoka", "Komoka (Middlesex Centre)", "Springfield, Malahide", "Mt Brydges" and
    "Brown's Corners, Zorra" all resolve; "Springfield" alone is ambiguous and raises a
    :class:`UserError` that lists each candidate with its municipality.
    """
    query = query or name
    parsed = _parse(name, gaz)
    if not parsed.name and not parsed.embedded:
        raise UserError("geocode.error.unknown", text=name)
    return _resolve_parsed(gaz, parsed, query)


def _resolve_parsed(gaz: Gazetteer, parsed: _Parsed, query: str) -> Geocode:
    if parsed.name:
        try:
            result = _resolve(gaz, parsed.name, parsed.qualifiers, query)
        except UserError as err:
            # "Talbot Line, Shedden" parsed the wrong way round: try the qualifiers as names.
            if err.key not in _UNKNOWN or not parsed.qualifiers:
                raise
            for index, qualifier in enumerate(parsed.qualifiers):
                if gaz.entries(qualifier):
                    rest = parsed.qualifiers[index + 1 :]
                    result = _resolve(gaz, qualifier, rest, query)
                    break
            else:
                raise
    else:
        result = _resolve(gaz, parsed.embedded[0], parsed.embedded[1:], query)
    if parsed.street:
        result = _with_notes(result, ("geocode.note.street_not_placed", {"street": parsed.street}))
    return result


def _dms_value(degrees: str, minutes: str | None, seconds: str | None, hemisphere: str) -> tuple[str, float]:
    value = float(degrees.replace(",", "."))
    value += float((minutes or "0").replace(",", ".")) / 60 + float((seconds or "0").replace(",", ".")) / 3600
    axis = "lat" if hemisphere.upper() in "NS" else "lon"
    sign = -1.0 if hemisphere.upper() in ("S", "W", "O") else 1.0
    return axis, sign * value


def _coordinates(raw: str) -> tuple[float, float] | None:
    """(lat, lon) from "42.98, -81.25", "42,98; -81,25", "42°59'N 81°14'W"; ``None`` otherwise.

    Hemisphere letters may come first ("N42.98 W81.25"); a degree sign without them is
    ignored ("42.98°, -81.25°"). Longitude first is handled by :func:`_geocode_pair`.
    """
    raw = re.sub(r"(?i)(?<![A-Za-z])([NSEWO])\s*(\d[\d.,°'’′\"”″\s]*?)(?=\s*[,;]?\s*[NSEWO]\s*\d|\s*$)", r"\2\1", raw)
    if not re.search(r"(?i)\d\s*[°'’′\"”″]?\s*[NSEWO]\b", raw):
        raw = raw.replace("°", "")
    dms = _DMS.match(raw)
    if dms:
        first = _dms_value(*dms.groups()[:4])
        second = _dms_value(*dms.groups()[4:])
        if {first[0], second[0]} != {"lat", "lon"}:
            return None
        values = dict([first, second])
        return values["lat"], values["lon"]
    coords = _COORDS_DOT.match(raw) or (_COORDS.match(raw) if raw.count(",") != 1 else None)
    if not coords:
        return None
    a, b = (float(v.replace(",", ".")) for v in coords.groups())
    return a, b


def _geocode_pair(gaz: Gazetteer, a: float, b: float, raw: str) -> Geocode:
    """Coordinates typed as (lat, lon), or as (lon, lat) when only that order is in the region."""
    try:
        return geocode_coordinates(gaz, a, b, query=raw)
    except UserError as first:
        if not (-90 <= b <= 90 and -180 <= a <= 180):
            raise
        try:
            swapped = geocode_coordinates(gaz, b, a, query=raw)
        except UserError:
            raise first from None
        return _with_notes(swapped, ("geocode.note.swapped", {"lat": b, "lon": a}))


def _is_street(gaz: Gazetteer, part: str) -> bool:
    if gaz.entries(part):
        return False
    if _ADDRESS_LEADS.match(" ".join(re.split(r"[\s.#]+", part.casefold())).strip()):
        return True
    words = [w for w in re.split(r"[\s.]+", _fold(part)) if w]
    if not words:
        return False
    if re.match(r"^\d+[a-z]?$", words[0]) or re.match(r"^\d+[-–]\d+", words[0]):
        return True
    return any(w in _STREET_TYPES for w in words[1:]) or words[0] in ("rue", "chemin", "boulevard", "route", "rang")


def _embedded_locality(gaz: Gazetteer, street: str) -> str:
    """A known place at the end of a street part without comma ("1 Dundas St London")."""
    words = street.split()
    for size in range(min(4, len(words) - 1), 0, -1):
        tail = " ".join(words[-size:])
        if place_key(tail) and gaz.entries(tail):
            return tail
    return ""


def _parse(text: str, gaz: Gazetteer | None = None) -> _Parsed:
    """Split free text into postal code, street, name and qualifiers."""
    parsed = _Parsed()
    raw = text.strip()
    postal = _POSTAL_ANYWHERE.search(raw)
    if postal:
        parsed.postal = (postal.group(1) + postal.group(2)).upper()
        raw = (raw[: postal.start()] + " " + raw[postal.end() :]).strip()
    raw = re.sub(r"\s+", " ", raw)
    raw = re.sub(r"\(([^)]*)\)", r", \1,", raw)
    raw = re.sub(r"\s[-–—/|]\s", ",", raw)  # "Middlesex Centre - Komoka"
    parts = [p.strip(" .") for p in re.split(r"[,;\n]", raw)]
    parts = [p for p in parts if p and place_key(p)]
    kept: list[str] = []
    for part in parts:
        folded = " ".join(re.split(r"[\s.\-]+", _fold(part))).strip()
        if folded in _NOT_A_PLACE:
            continue
        if folded in _ELSEWHERE or (_strip_province(part) != part and folded.split()[-1] in _ELSEWHERE):
            parsed.elsewhere = part
            continue
        if not (gaz and gaz.entries(part)):
            last = re.search(r"\s([A-Za-z]\d[A-Za-z])$", part)
            first = re.match(r"^([A-Za-z]\d[A-Za-z])\s", part)
            tail = re.search(r"\s(qc|bc|ab|mb|sk|ns|nb|nl|pe|pei|yt|nt|nu|uk|usa|mi|ny)$", part, re.IGNORECASE)
            if tail:
                parsed.elsewhere = tail.group(1)
                part = part[: tail.start()].strip()
            elif last and not parsed.postal:
                parsed.postal = last.group(1).upper()
                part = part[: last.start()].strip()
            elif first and not parsed.postal:
                parsed.postal = first.group(1).upper()
                part = part[first.end() :].strip()
        fsa = _FSA_ALONE.match(part)
        if fsa and not parsed.postal and not (gaz and gaz.entries(part)):
            parsed.postal = fsa.group(1).upper()
            continue
        if part:
            kept.append(part)
    if gaz is not None:
        streets = [p for p in kept if _is_street(gaz, p)]
        if streets:
            parsed.street = ", ".join(streets)
            kept = [p for p in kept if p not in streets]
            if not kept:
                street = _strip_province(streets[-1])
                inner = _embedded_locality(gaz, street)
                if inner:
                    parsed.embedded = [inner]
                    parsed.street = ", ".join([*streets[:-1], street[: -len(inner)].strip(" ,")])
    if kept:
        parsed.name, parsed.qualifiers = kept[0], kept[1:]
    return parsed


def _strip_province(text: str) -> str:
    return re.sub(r"(?i)[\s,]+(on|ont|ontario|canada)\.?\s*$", "", text).strip()


def geocode(gaz: Gazetteer, text: str) -> Geocode:
    """Geocode free text: "lat, lon", a postal code or FSA, a place name or an address.

    A community name beside a postal code wins (it is the finer of the two); a street
    address is placed at the community it names, with a note that the street is not.

    Raises
    ------
    UserError
        With a French message (English beside) that says how to fix the input.
    """
    raw = (text or "").strip()
    if not raw:
        raise UserError("geocode.error.empty")
    coords = _coordinates(_COORD_WORDS.sub(" ", raw).strip(" ,;"))
    if coords is not None:
        return _geocode_pair(gaz, coords[0], coords[1], raw)
    compact = re.sub(r"[\s-]", "", raw).upper()
    if _POSTAL.match(compact) and not gaz.entries(raw):
        return geocode_postal(gaz, raw, query=raw)
    if _BAD_POSTAL.match(raw):
        raise UserError("geocode.error.postal_format", text=raw)
    parsed = _parse(raw, gaz)
    if parsed.elsewhere and not parsed.postal:
        raise UserError("geocode.error.outside", text=raw)
    if not parsed.name and not parsed.embedded:
        if parsed.postal:
            result = geocode_postal(gaz, parsed.postal, query=raw)
            if parsed.street:
                result = _with_notes(result, ("geocode.note.street_not_placed", {"street": parsed.street}))
            return result
        if parsed.street:
            raise UserError("geocode.error.street_only", text=raw)
        if _POSTALISH.match(raw) and any(ch.isdigit() for ch in raw):
            raise UserError("geocode.error.postal_format", text=raw)
        raise UserError("geocode.error.unknown", text=raw)
    try:
        result = _resolve_parsed(gaz, parsed, raw)
    except UserError as err:
        if parsed.postal and err.key in _UNKNOWN:
            result = geocode_postal(gaz, parsed.postal, query=raw)
            return _with_notes(result, ("geocode.note.postal_instead", {"text": parsed.name}))
        if not parsed.postal and _POSTALISH.match(raw) and any(ch.isdigit() for ch in raw):
            raise UserError("geocode.error.postal_format", text=raw) from None
        raise
    if parsed.postal:
        found = gaz.fsa(parsed.postal[:3])
        if found is not None and found[0] == "rural":
            result = _with_notes(result, ("geocode.note.fsa_place", {"fsa": parsed.postal[:3]}))
        elif found is not None and found[1] and found[1] != result.csduid:
            result = _with_notes(
                result,
                ("geocode.note.postal_elsewhere", {"fsa": parsed.postal[:3], "other": gaz.name_of(found[1])}),
            )
    return result


def geocode_site(
    gaz: Gazetteer,
    *,
    latitude: float | None = None,
    longitude: float | None = None,
    postal_code: str | None = None,
    municipality: str | None = None,
) -> Geocode:
    """Place a site from the template's columns, most precise first.

    A municipality or community typed beside coordinates settles the CSD only when the
    point is uncertain and that municipality is one of the possible ones: a member knows
    their own town better than a boundary drawn within a few hundred metres.
    """
    municipality = (municipality or "").strip()
    postal_code = (postal_code or "").strip()
    if latitude is not None and longitude is not None:
        result = geocode_coordinates(gaz, float(latitude), float(longitude))
        if municipality and result.uncertain:
            named = geocode_name(gaz, municipality)
            if named.csduid in (result.csduid, *result.candidates):
                return Geocode(
                    **{
                        **asdict(result),
                        "csduid": named.csduid,
                        "municipality": named.municipality,
                        "region": named.region,
                        "note_fr": "",
                        "note_en": "",
                        "uncertain": False,
                        "candidates": (),
                    }
                )
        return result
    if postal_code:
        return geocode_postal(gaz, postal_code, place=municipality)
    if municipality:
        return geocode_name(gaz, municipality)
    raise UserError("geocode.error.empty")
