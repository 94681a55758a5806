"""`Plan`: a request and everything made for it, as one immutable record that converts to and from one JSON
document (the shape is in `planner.plans`' docstring)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import pandas as pd
import pandera.pandas as pa

from planner.fits import remembered
from planner.plans.fingerprint import Fingerprint
from planner.plans.request import PlanRequest
from planner.plans.schema import (TARGETS_SCHEMA, DatedDemandSchema, DatedStaffingSchema, PlanCoverageSchema,
                                  PlanExceptionSchema, PlanExplanationSchema, PlanInputsSchema, PlanScheduleSchema,
                                  PlanShiftSchema)
from planner.shifts.solve import OPTIMAL

FORMAT = "planner.plan/1"
"""The JSON document's `format`: a reader refuses any other."""
FRAMES = {
    "targets": TARGETS_SCHEMA,
    "exceptions": PlanExceptionSchema,
    "demand": DatedDemandSchema,
    "staffing": DatedStaffingSchema,
    "shifts": PlanShiftSchema,
    "coverage": PlanCoverageSchema,
    "schedules": PlanScheduleSchema,
    "explanations": PlanExplanationSchema,
    "inputs": PlanInputsSchema,
}
"""The plan's frames, in the document's order, and the schema each is checked and typed against."""
DOCUMENTS_KEPT = 8
"""Plan documents kept read (`_read`): the plans of a week or two of a few stores, as a list of saved plans reads them."""


@dataclass(frozen=True, eq=False)
class Plan:
    """A plan for `request`'s stores and weeks. Frames (see `FRAMES` and `planner.plans.schema`):

    targets       per store, each target resolved and where it came from
    exceptions    the store calendar's exceptions applied, per store and date
    demand        customers per store, date and open hour (scaled by the date's demand factor)
    staffing      the requirement: recommended staff per store, date and open hour
    shifts        dated shifts under the date of their opening, times in minutes after that date's midnight
    coverage      required against scheduled staff per store, date and hour
    schedules     per store and week: the optimiser's status, in words too, and the schedule's totals
    explanations  the optimiser's sentences per store and week
    inputs        the fingerprint of each store and week's inputs (its digest is that store-week's `fingerprint`)

    `pooled_inputs`: the digest of the chain's counts the pooled demand model read (`planner.digest.pooled_digest`),
    beside the fingerprint, not in it; None for a plan made before plans kept it. `pooled_counts`: store_id -> the
    digest of that store's counts (`planner.digest.store_counts_digests`) of every store the pooled model read, to
    name whose counts changed since; None for a plan made before plans kept them.
    """

    request: PlanRequest
    fingerprint: Fingerprint
    created_at: str
    """ISO 8601, UTC, when the plan was made."""
    targets: pd.DataFrame
    exceptions: pd.DataFrame
    demand: pd.DataFrame
    staffing: pd.DataFrame
    shifts: pd.DataFrame
    coverage: pd.DataFrame
    schedules: pd.DataFrame
    explanations: pd.DataFrame
    inputs: pd.DataFrame
    pooled_inputs: str | None = None
    pooled_counts: Mapping[str, str] | None = None

    @property
    def store_ids(self) -> tuple[str, ...]:
        return tuple(self.targets["store_id"].astype(str))

    @property
    def proven_cheapest(self) -> bool:
        """Whether its shifts are proven the cheapest that cover the requirement: every schedule's status optimal
        (`status_text` says each in words); a schedule only feasible, timed out or short is not."""
        return bool((self.schedules["status"] == OPTIMAL).all())

    def index_rows(self) -> list[dict[str, str]]:
        """One row per store and week for a store of plans to index the document by: store_id, iso_week,
        fingerprint (that store-week's input digest) and created_at."""
        return [{"store_id": row.store_id, "iso_week": row.iso_week, "fingerprint": row.digest,
                 "created_at": self.created_at} for row in self.inputs.itertuples(index=False)]

    def for_store_week(self, store_id: str, iso_week: str) -> Plan:
        """The part of this plan for one store and week, as a plan of its own: its rows of every frame, and as its
        fingerprint that store-week's (so its digest is the `fingerprint` of its index row). A store of plans keeps
        one such document per store and week. ValueError if the plan has no such store-week."""
        found = self.inputs[(self.inputs["store_id"] == store_id) & (self.inputs["iso_week"] == iso_week)]
        if found.empty:
            raise ValueError(f"the plan has no week {iso_week} for store {store_id!r}")
        parts = {}
        for name in FRAMES:
            frame = self.frame(name)
            keep = frame["store_id"] == store_id
            if "iso_week" in frame.columns:
                keep &= frame["iso_week"] == iso_week
            parts[name] = frame[keep].reset_index(drop=True)
        values = found.iloc[0]
        fingerprint = Fingerprint.from_dict({
            **values.to_dict(), "observation_rows": int(values["observation_rows"]),
            "last_observed_date": None if pd.isna(values["last_observed_date"]) else str(values["last_observed_date"])})
        request = replace(self.request, weeks=(iso_week,), store_ids=(store_id,))
        return Plan(request, fingerprint, self.created_at, **parts, pooled_inputs=self.pooled_inputs,
                    pooled_counts=self.pooled_counts)

    def without(self, store_weeks: Iterable[tuple[str, str]]) -> Plan:
        """This plan less `store_weeks` ((store_id, iso_week) pairs): their rows of every frame, and a store's rows
        kept per store (its targets) with its last week; the request names the stores left. The whole plan's
        fingerprint is kept as made: each store-week is saved with its own (`for_store_week`). What a publish saves
        of a plan some store-weeks of which are left out (`saved_plans.publishable_part`)."""
        dropped = set(store_weeks)
        if not dropped:
            return self
        left = {(store, week) for store, week in zip(self.inputs["store_id"], self.inputs["iso_week"], strict=True)
                if (store, week) not in dropped}
        stores_left = {store for store, _ in left}
        parts = {}
        for name in FRAMES:
            frame = self.frame(name)
            if "iso_week" in frame.columns:
                keep = ~pd.MultiIndex.from_arrays([frame["store_id"], frame["iso_week"]]).isin(list(dropped))
            else:
                keep = frame["store_id"].isin(stores_left)
            parts[name] = frame[keep].reset_index(drop=True)
        request = replace(self.request, store_ids=tuple(store for store in self.store_ids if store in stores_left))
        return Plan(request, self.fingerprint, self.created_at, **parts, pooled_inputs=self.pooled_inputs,
                    pooled_counts=self.pooled_counts)

    def frame(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    def validate(self) -> Plan:
        """Every frame checked against its schema (raises pandera's SchemaErrors, listing every failure)."""
        for name, schema in FRAMES.items():
            _schema(schema).validate(self.frame(name), lazy=True)
        return self

    def to_json(self) -> str:
        document = {
            "format": FORMAT,
            "request": self.request.as_dict(),
            "fingerprint": self.fingerprint.as_dict(),
            **({"pooled_inputs": self.pooled_inputs} if self.pooled_inputs is not None else {}),
            **({"pooled_counts": dict(self.pooled_counts)} if self.pooled_counts is not None else {}),
            "created_at": self.created_at,
            "store_ids": list(self.store_ids),
            "iso_weeks": list(self.request.weeks),
            "frames": {name: _records(self.frame(name)) for name in FRAMES},
        }
        return json.dumps(document, allow_nan=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Plan:
        """The plan `to_json` wrote; ValueError for a document of another format or a frame its schema rejects."""
        return _read(text)


@remembered(most=DOCUMENTS_KEPT)
def _read(text: str) -> Plan:
    """`Plan.from_json`: each frame typed and checked against its schema, about 0.1 s a plan, and a roster, its
    re-plan and a list of saved plans read the same published plan again and again; a document read lately is handed
    back as a copy of its own (`planner.fits.remembered`: kept by the text, so another document is read anew)."""
    document = _document(text)
    frames = {name: _frame(document["frames"].get(name, []), schema) for name, schema in FRAMES.items()}
    return Plan(PlanRequest.from_dict(document["request"]), Fingerprint.from_dict(document["fingerprint"]),
                document["created_at"], **frames, pooled_inputs=document.get("pooled_inputs"),
                pooled_counts=_store_digests(document.get("pooled_counts")))


def _store_digests(kept: object) -> dict[str, str] | None:
    """A document's `pooled_counts` (store_id -> digest); None where it has none, or none this release reads."""
    if not isinstance(kept, dict) or not all(isinstance(value, str) for value in kept.values()):
        return None
    return {str(store): value for store, value in kept.items()}


def request_from_json(text: str) -> PlanRequest:
    """The request of the plan `Plan.to_json` wrote (what it was asked for, made with), its frames left unread:
    reading them back typed and checked against their schemas is about 0.2 s a plan, and a list of plans asks every
    plan's request (ValueError for a document of another format)."""
    return PlanRequest.from_dict(_document(text)["request"])


def pooled_counts_from_json(text: str) -> dict[str, str] | None:
    """The `pooled_counts` of the plan `Plan.to_json` wrote, its frames left unread (a list of plans whose staff other
    stores' counts moved names whose counts did without reading each plan whole); None for a plan without them."""
    return _store_digests(_document(text).get("pooled_counts"))


def _document(text: str) -> dict:
    document = json.loads(text)
    if document.get("format") != FORMAT:
        raise ValueError(f"not a plan document of format {FORMAT} (found {document.get('format')!r})")
    return document


def _schema(schema) -> pa.DataFrameSchema:
    return schema if isinstance(schema, pa.DataFrameSchema) else schema.to_schema()


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as JSON records: dates as YYYY-MM-DD, missing values as null, numbers as numbers."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return json.loads(out.to_json(orient="records", double_precision=15))


def _frame(records: list[dict[str, object]], schema) -> pd.DataFrame:
    """Records back to a typed frame, each column to its schema's type (numbers with missing values as nullable
    Float64/Int64, so a missing estimate stays missing), then every rule checked."""
    typed = _schema(schema)
    frame = pd.DataFrame.from_records(records, columns=list(typed.columns)) if records else \
        pd.DataFrame({name: pd.Series(dtype=object) for name in typed.columns})
    for name, column in typed.columns.items():
        kind = str(column.dtype)
        if kind.startswith("datetime64"):
            frame[name] = pd.to_datetime(frame[name])
        elif kind in ("float64", "Float64"):
            frame[name] = frame[name].astype("Float64")
        elif kind in ("int64", "Int64", "bool", "boolean", "str") or kind.startswith("string"):
            frame[name] = frame[name].astype(kind)
        elif kind.startswith("string") or frame.empty:  # the schema's own type, also with no rows to infer from
            frame[name] = frame[name].astype(column.dtype.type)
    try:
        return typed.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        cases = error.failure_cases.head(5).to_dict("records")
        raise ValueError(f"a plan frame does not match its schema: {cases}") from error
