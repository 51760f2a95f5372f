"""Benchmark of the analytics reports against a plain `pandas.read_sql` of the rows they use.

Run by hand (not part of the tests):

    .venv/bin/python benchmarks/analytics_bench.py                 # 1 800, 10 000 and 100 000
    .venv/bin/python benchmarks/analytics_bench.py --sizes 1800    # only the small one

For each size it builds the synthetic country (`build_sample(offices=N)`) into a SQLite file
in a temporary folder and times the build; then for every report it prints the report's time
(best of --repeat runs), the time of a plain read of the raw rows the report aggregates, their
ratio, and the report's peak Python memory (tracemalloc, a separate run). A table at the end.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, text

from helsetilbud import analytics as an
from helsetilbud.bootstrap import load_catalog_tools
from helsetilbud.db import make_engine, make_session_factory, transaction, upgrade_schema
from helsetilbud.sample import build_sample

TODAY = date(2026, 11, 26)

_ASSIGNMENTS = (
    "SELECT o.her_id, o.name, o.fylke, a.service, a.tool_id "
    "FROM tool_assignments a JOIN offices o ON o.id = a.office_id"
)
_TEXTS = (
    "SELECT o.her_id, o.name, o.address, o.postal_code, o.postal_place, t.area, t.text, "
    "t.updated_at FROM info_texts t JOIN offices o ON o.id = t.office_id"
)
_GPS = (
    "SELECT o.fylke, g.office_id, g.timebestilling, g.reseptfornyelse, g.e_konsultasjon, "
    "g.kontakt_legekontoret FROM gps g JOIN offices o ON o.id = g.office_id"
)
_EVENTS = (
    "SELECT at, entity, key, before, after FROM audit_events "
    "WHERE entity IN ('tool_assignment', 'info_text')"
)

# report name -> (the report, the plain SQL of the raw rows it aggregates)
REPORTS: dict[str, tuple[Callable[[Engine], pd.DataFrame], str]] = {
    "adoption": (
        lambda e: an.adoption(e),
        "SELECT o.fylke, a.service, a.tool_id " + _ASSIGNMENTS[_ASSIGNMENTS.index("FROM") :],
    ),  # fmt: skip
    "adoption --by-fylke": (
        lambda e: an.adoption(e, by_fylke=True),
        "SELECT o.fylke, a.service, a.tool_id " + _ASSIGNMENTS[_ASSIGNMENTS.index("FROM") :],
    ),
    "adoption_matrix": (an.adoption_matrix, _ASSIGNMENTS),
    "text_coverage": (lambda e: an.text_coverage(e, TODAY), "SELECT area, text FROM info_texts"),
    "text_flags": (lambda e: an.text_flags(e, TODAY), _TEXTS),
    "texts (summary)": (lambda e: an.text_summary(e, TODAY), _TEXTS),
    "services --by fylke": (lambda e: an.service_offering(e, by="fylke"), _GPS),
    "services --by office_size": (lambda e: an.service_offering(e, by="office_size"), _GPS),
    "trends": (lambda e: an.trends(e, TODAY), _EVENTS),
}


@dataclass
class Result:
    offices: int
    report: str
    seconds: float
    plain_seconds: float
    rows: int
    plain_rows: int
    peak_mb: float

    @property
    def ratio(self) -> float:
        return self.seconds / self.plain_seconds if self.plain_seconds else float("nan")


def _best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def _peak_mb(fn: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def build(path: Path, offices: int) -> tuple[Engine, float]:
    engine = make_engine(f"sqlite:///{path}")
    start = time.perf_counter()
    upgrade_schema(engine)
    with transaction(make_session_factory(engine)) as session:
        load_catalog_tools(session)
        build_sample(session, seed=7, offices=offices, today=TODAY)
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    return engine, time.perf_counter() - start


def measure(
    engine: Engine, offices: int, repeat: int, only: set[str] | None = None
) -> list[Result]:
    results = []
    for name, (report, sql) in REPORTS.items():
        if only and name not in only:
            continue

        def plain(sql: str = sql) -> pd.DataFrame:
            with engine.connect() as conn:
                return pd.read_sql(text(sql), conn)

        plain()  # warm the page cache for both
        seconds, plain_seconds = float("inf"), float("inf")
        for _ in range(repeat):  # interleaved, so that a busy moment hits both alike
            once, frame = _best(lambda report=report: report(engine), 1)
            seconds = min(seconds, once)
            once, raw = _best(plain, 1)
            plain_seconds = min(plain_seconds, once)
        peak = _peak_mb(lambda report=report: report(engine))
        result = Result(offices, name, seconds, plain_seconds, len(frame), len(raw), peak)
        results.append(result)
        print(
            f"  {name:<26} {seconds:8.3f} s   plain {plain_seconds:8.3f} s   "
            f"ratio {result.ratio:5.2f}   peak {peak:8.1f} MB   ({len(frame)} / {len(raw)} rows)",
            flush=True,
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mål analyserapportene mot en ren lesing.")
    parser.add_argument("--sizes", default="1800,10000,100000", help="antall legekontorer")
    parser.add_argument("--repeat", type=int, default=3, help="beste av N kjøringer")
    parser.add_argument("--keep", type=Path, help="mappe for databasene (beholdes)")
    parser.add_argument("--only", help="bare disse rapportene, skilt med komma")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    builds: dict[int, float] = {}
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="helsetilbud-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for offices in sizes:
            path = folder / f"sample-{offices}.sqlite"
            if path.exists():
                engine, builds[offices] = make_engine(f"sqlite:///{path}"), float("nan")
            else:
                print(f"Bygger {offices} legekontorer ...", flush=True)
                engine, builds[offices] = build(path, offices)
                print(f"  bygget på {builds[offices]:.1f} s", flush=True)
            only = set(args.only.split(",")) if args.only else None
            results += measure(engine, offices, args.repeat, only)
            engine.dispose()
    print()
    print(f"{'kontorer':>9} {'rapport':<26} {'rapport s':>10} {'ren lesing s':>13} "
          f"{'forhold':>8} {'topp MB':>9}")  # fmt: skip
    for r in results:
        print(
            f"{r.offices:>9} {r.report:<26} {r.seconds:>10.3f} {r.plain_seconds:>13.3f} "
            f"{r.ratio:>8.2f} {r.peak_mb:>9.1f}"
        )
    print()
    for offices, seconds in builds.items():
        print(f"Bygging av {offices} legekontorer: {seconds:.1f} s")
    worst = max(results, key=lambda r: r.ratio)
    print(f"Største forhold: {worst.ratio:.2f} ({worst.report}, {worst.offices} legekontorer)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
