"""Offline geocoding of what members type: coordinates, postal codes, place names.

Pure: a :class:`Gazetteer` is built from frames the IO layer loads, and geocoding reads
nothing from disk. The order of trust is that of DESIGN.md section 4.3: explicit
coordinates, else a postal code (full or FSA), else a municipality or place name. The
precision reached is always returned so screens can show how good a point is.

Municipality assignment cannot rely on the shared polygons, which are coarse (London's
covers half its real area): named places carry their own CSDUID from the gazetteer, urban
FSAs map to their principal municipality, and coordinates use the polygons with a
tolerance and say when the answer is uncertain.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree

from cartography.geography import CRS_DISPLAY, CRS_METRIC, place_key, region_of
from cartography.i18n import UserError, t

PRECISIONS = ("coordinates", "postal_fsa", "place", "municipality")

_COORDS = re.compile(r"^\s*\(?\s*(-?\d{1,3}(?:[.,]\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:[.,]\d+)?)\s*\)?\s*$")
_COORDS_DOT = re.compile(r"^\s*\(?\s*(-?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*\)?\s*$")
_POSTAL = re.compile(r"^([A-Z]\d[A-Z])(\d[A-Z]\d)?$")
_POSTAL_LEAD = re.compile(r"^\s*([A-Za-z]\d[A-Za-z])[\s-]*(\d[A-Za-z]\d)?\s*[,;]\s*(.+)$")
_POSTALISH = re.compile(r"^[A-Za-z]\d[A-Za-z][\s-]*\w*$")


@dataclass(frozen=True)
class Geocode:
    """Where a text was placed, how precisely, and in which municipality and region."""

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

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class _Entry:
    name: str
    latitude: float
    longitude: float
    csduid: str
    is_municipality: bool


class Gazetteer:
    """Names, FSAs and municipality polygons of the region, ready for look-ups.

    Parameters
    ----------
    places
        The gazetteer (``places.csv`` layout): name, place_type, lat, lon, CSDUID,
        alternate_names.
    municipalities
        CSD polygons in EPSG:3347 with ``CSDUID`` and ``CSDNAME``.
    fsa_municipalities
        One row per FSA: ``CFSAUID``, ``kind`` (urban/rural), ``CSDUID`` (blank when the
        principal place is outside the region or the FSA is rural).
    tolerance_m
        How far a coordinate may be from a municipality polygon and still be said to
        possibly lie in it: large for generalised boundaries, small for official ones.
    """

    def __init__(
        self,
        places: pd.DataFrame,
        municipalities: gpd.GeoDataFrame,
        fsa_municipalities: pd.DataFrame,
        tolerance_m: float = 3000.0,
    ) -> None:
        self._municipalities = municipalities.to_crs(CRS_METRIC)[["CSDUID", "CSDNAME", "geometry"]]
        self._names = dict(
            zip(self._municipalities["CSDUID"].astype(str), self._municipalities["CSDNAME"], strict=True)
        )
        self._tolerance_m = float(tolerance_m)
        self._to_metric = Transformer.from_crs(CRS_DISPLAY, CRS_METRIC, always_xy=True)
        self._region_union = shapely.union_all(self._municipalities.geometry.values)
        self._index: dict[str, _Entry] = {}
        self._display: dict[str, str] = {}
        self._fsa_points: dict[str, tuple[float, float]] = {}
        self._build(places)
        self._fsa = {
            str(row.CFSAUID).upper(): (str(row.kind), "" if pd.isna(row.CSDUID) else str(row.CSDUID))
            for row in fsa_municipalities.itertuples()
        }
        self._anchors: list[tuple[float, float, str]] = []
        anchor_points = [(e.longitude, e.latitude, e.csduid) for e in self._index.values() if e.csduid]
        anchor_points += [
            (lon, lat, self._fsa[code][1])
            for code, (lat, lon) in self._fsa_points.items()
            if code in self._fsa and self._fsa[code][1]
        ]
        for lon, lat, csd in anchor_points:
            ax, ay = self._to_metric.transform(lon, lat)
            self._anchors.append((ax, ay, csd))
        # Built once: every coordinate look-up searches these.
        self._anchor_xy = np.array([(a[0], a[1]) for a in self._anchors]).reshape(-1, 2)
        self._anchor_ids = np.array([a[2] for a in self._anchors])
        self._anchor_tree = cKDTree(self._anchor_xy) if len(self._anchor_xy) else None

    def _build(self, places: pd.DataFrame) -> None:
        csd_rows = places[places["place_type"].astype(str).str.startswith("census_subdivision")]
        named_rows = places[places["place_type"] == "populated_place"]
        fsa_rows = places[places["place_type"] == "fsa_centroid"]
        for row in fsa_rows.itertuples():
            self._fsa_points[str(row.name).upper()] = (float(row.lat), float(row.lon))
        # A GeoNames point is a better location than the representative point of a
        # generalised polygon, so municipalities borrow it when it is their namesake.
        best_point: dict[str, tuple[float, float]] = {}
        for row in named_rows.itertuples():
            csd = _clean_id(row.CSDUID)
            if csd and place_key(row.name) == place_key(self._names.get(csd, "")):
                best_point[csd] = (float(row.lat), float(row.lon))
        for row in named_rows.itertuples():
            entry = _Entry(str(row.name), float(row.lat), float(row.lon), _clean_id(row.CSDUID), False)
            names = [str(row.name)]
            if isinstance(row.alternate_names, str):
                names += [n for n in row.alternate_names.split("|") if n.isascii() and n.strip()]
            for name in names:
                self._add(name, entry, prefer=False)
        for row in csd_rows.itertuples():
            csd = _clean_id(row.CSDUID)
            lat, lon = best_point.get(csd, (float(row.lat), float(row.lon)))
            self._add(str(row.name), _Entry(str(row.name), lat, lon, csd, True), prefer=True)
        for csd, name in self._names.items():
            if place_key(name) not in self._index:
                point = self._municipalities.loc[self._municipalities["CSDUID"] == csd].geometry
                rep = gpd.GeoSeries(point.representative_point(), crs=CRS_METRIC).to_crs(CRS_DISPLAY)
                self._add(name, _Entry(name, rep.y.iloc[0], rep.x.iloc[0], csd, True), prefer=True)

    def _add(self, name: str, entry: _Entry, *, prefer: bool) -> None:
        key = place_key(name)
        if not key:
            return
        if prefer or key not in self._index:
            self._index[key] = entry
            self._display[key] = entry.name

    # -- public look-ups ---------------------------------------------------------------
    @property
    def municipality_names(self) -> dict[str, str]:
        """CSDUID -> official name of the region's municipalities."""
        return dict(self._names)

    def find_name(self, text: str) -> _Entry | None:
        """The gazetteer entry a name means, or ``None``."""
        return self._index.get(place_key(text))

    def closest_names(self, text: str, n: int = 3) -> list[str]:
        """Known names closest to ``text``, for "did you mean" suggestions."""
        key = place_key(text)
        keys = difflib.get_close_matches(key, list(self._index), n=n, cutoff=0.6)
        if not keys and key:
            keys = [k for k in self._index if k.startswith(key[:4])][:n]
        return list(dict.fromkeys(self._display[k] for k in keys))

    def municipality_of_point(self, latitude: float, longitude: float) -> tuple[str, bool, list[str]]:
        """CSDUID of a point, whether that is uncertain, and the other candidates.

        Raises ``LookupError`` if no municipality is within the tolerance.
        """
        x, y = self._to_metric.transform(longitude, latitude)
        point = shapely.Point(x, y)
        distances = shapely.distance(self._municipalities.geometry.values, point)
        order = np.argsort(distances, kind="stable")
        nearest = float(distances[order[0]])
        if nearest > self._tolerance_m:
            raise LookupError("outside")
        close = [int(i) for i in order if distances[i] <= self._tolerance_m]
        ids = self._municipalities["CSDUID"].astype(str).to_numpy()
        if len(close) == 1 and nearest == 0:
            inside = str(ids[close[0]])
            rival = self._nearest_anchor(x, y, within=self._tolerance_m)
            if rival is not None and rival != inside and self._tolerance_m >= 1000:
                # A known place of another municipality is closer than the generalised
                # boundary's error: say so rather than pretend.
                return inside, True, [rival]
            return inside, False, []
        # Ambiguous: the generalised polygons cannot decide, so the nearest known place
        # (a town centre or an urban FSA centre) of a candidate municipality does.
        candidates = [str(ids[i]) for i in close]
        chosen = candidates[0]
        mask = np.isin(self._anchor_ids, candidates)
        if mask.any():
            xy = self._anchor_xy[mask]
            d = np.hypot(xy[:, 0] - x, xy[:, 1] - y)
            chosen = str(self._anchor_ids[mask][int(np.argmin(d))])
        others = [c for c in candidates if c != chosen]
        return chosen, True, others

    def _nearest_anchor(self, x: float, y: float, within: float) -> str | None:
        if self._anchor_tree is None:
            return None
        distance, index = self._anchor_tree.query((x, y))
        return str(self._anchor_ids[index]) if distance <= within else None

    def municipalities_of(self, xy: np.ndarray) -> np.ndarray:
        """CSDUID of many points given in EPSG:3347 metres (census tract centres, say).

        With official boundaries the polygons decide; with generalised ones the nearest known
        place (town centres, urban FSA centres, municipality points) does, because a polygon
        with six vertices misplaces whole neighbourhoods.
        """
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        if self._tolerance_m < 1000:
            points = shapely.points(xy)
            ids = self._municipalities["CSDUID"].astype(str).to_numpy()
            geoms = self._municipalities.geometry.values
            return np.array([ids[int(np.argmin(shapely.distance(geoms, p)))] for p in points])
        _, index = self._anchor_tree.query(xy)
        return self._anchor_ids[index]

    def fsa(self, code: str) -> tuple[str, str, tuple[float, float] | None] | None:
        """(kind, CSDUID, centroid) of an FSA touching the region, ``None`` if unknown."""
        found = self._fsa.get(code.upper())
        if found is None:
            return None
        return found[0], found[1], self._fsa_points.get(code.upper())

    def name_of(self, csduid: str) -> str:
        return self._names.get(csduid, "")


def _clean_id(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value).strip()
    return text[:-2] if text.endswith(".0") else text


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


def geocode_coordinates(gaz: Gazetteer, latitude: float, longitude: float, query: str = "") -> Geocode:
    """Place explicit coordinates and find their municipality, saying when unsure."""
    query = query or f"{latitude}, {longitude}"
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise UserError("geocode.error.coordinates", text=query)
    try:
        csduid, uncertain, others = gaz.municipality_of_point(latitude, longitude)
    except LookupError:
        raise UserError("geocode.error.outside", text=query) from None
    note = None
    fields: dict[str, object] = {}
    if uncertain:
        note = "geocode.note.uncertain"
        names = [gaz.name_of(o) for o in others] or [gaz.name_of(csduid)]
        fields = {"km": round(gaz._tolerance_m / 1000, 1), "others": ", ".join(names)}
    return _result(gaz, query, latitude, longitude, "coordinates", csduid, uncertain, note, **fields)


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
            return Geocode(
                **{
                    **named.as_dict(),
                    "note_fr": t("geocode.note.fsa_place", "fr", fsa=fsa_code),
                    "note_en": t("geocode.note.fsa_place", "en", fsa=fsa_code),
                }
            )
        if kind == "rural":
            raise UserError("geocode.error.postal_rural", code=pretty, fsa=fsa_code, example="Strathroy")
        raise UserError("geocode.error.postal_outside", code=pretty)
    if point is None:
        entry = gaz.find_name(gaz.name_of(csduid))
        point = (entry.latitude, entry.longitude) if entry else (np.nan, np.nan)
    note = "geocode.note.postal_full" if match.group(2) else None
    return _result(gaz, query, point[0], point[1], "postal_fsa", csduid, False, note, fsa=fsa_code)


def geocode_name(gaz: Gazetteer, name: str, query: str = "") -> Geocode:
    """Place a municipality or place name, forgiving spelling variants."""
    query = query or name
    entry = gaz.find_name(name)
    if entry is None:
        suggestions = gaz.closest_names(name)
        if suggestions:
            raise UserError("geocode.error.unknown_suggest", text=name, names=", ".join(suggestions))
        raise UserError("geocode.error.unknown", text=name)
    if not entry.csduid or region_of(entry.csduid) is None:
        raise UserError("geocode.error.outside", text=name)
    precision = "municipality" if entry.is_municipality else "place"
    return _result(gaz, query, entry.latitude, entry.longitude, precision, entry.csduid)


def geocode(gaz: Gazetteer, text: str) -> Geocode:
    """Geocode free text: "lat, lon", a postal code or FSA, or a place name.

    Raises
    ------
    UserError
        With a French message (English beside) that says how to fix the input.
    """
    raw = (text or "").strip()
    if not raw:
        raise UserError("geocode.error.empty")
    coords = _COORDS_DOT.match(raw) or (_COORDS.match(raw) if raw.count(",") != 1 else None)
    if coords:
        lat, lon = (float(v.replace(",", ".")) for v in coords.groups())
        return geocode_coordinates(gaz, lat, lon, query=raw)
    compact = re.sub(r"[\s-]", "", raw).upper()
    if _POSTAL.match(compact):
        return geocode_postal(gaz, raw, query=raw)
    lead = _POSTAL_LEAD.match(raw)
    if lead:
        code = lead.group(1) + (lead.group(2) or "")
        return geocode_postal(gaz, code, place=lead.group(3), query=raw)
    if gaz.find_name(raw) is None and _POSTALISH.match(raw) and any(ch.isdigit() for ch in raw):
        raise UserError("geocode.error.postal_format", text=raw)
    return geocode_name(gaz, raw, query=raw)


def geocode_site(
    gaz: Gazetteer,
    *,
    latitude: float | None = None,
    longitude: float | None = None,
    postal_code: str | None = None,
    municipality: str | None = None,
) -> Geocode:
    """Place a site from the template's columns, most precise first.

    A municipality typed beside coordinates or a postal code is trusted for the CSD when
    the point is uncertain, because a member knows their own town better than a
    generalised polygon does.
    """
    municipality = (municipality or "").strip()
    postal_code = (postal_code or "").strip()
    if latitude is not None and longitude is not None:
        result = geocode_coordinates(gaz, float(latitude), float(longitude))
        if municipality and result.uncertain:
            named = geocode_name(gaz, municipality)
            return Geocode(
                **{
                    **result.as_dict(),
                    "csduid": named.csduid,
                    "municipality": named.municipality,
                    "region": named.region,
                    "note_fr": "",
                    "note_en": "",
                    "uncertain": False,
                }
            )
        return result
    if postal_code:
        return geocode_postal(gaz, postal_code, place=municipality)
    if municipality:
        return geocode_name(gaz, municipality)
    raise UserError("geocode.error.empty")
