"""What the text rules cost per keystroke, run by hand:

    .venv/bin/python benchmarks/text_hints_bench.py [--keys 300]

Types a 300-character text into the reseptfornyelse card of the small test country, one
character at a time, in the kernel (no browser), and prints the median and 95th percentile of:
- `check_text` alone on the text typed so far;
- the hint list's update (`HintList.show`: the office's rules plus the HTML, sent only when
  it changed);
- the whole keystroke on the card (counter, hints, draft, preview re-render).
The issue's budget: the hints add under 20 ms per keystroke for a 300-character text, and the
whole keystroke stays within the LAGRE → preview budget (300 ms, benchmarks/dashboard_bench.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from helsetilbud.db import make_engine, make_session_factory, transaction, upgrade_schema  # noqa: E402
from helsetilbud.text_hints import check_text  # noqa: E402
from helsetilbud.ui import EditorApp  # noqa: E402
from helsetilbud.ui.identity import resolve_identity  # noqa: E402
from tests.builders import build_small_country  # noqa: E402

TEXT = (
    "Vi tilbyr koronatest og influensavaksine. Ring 22 33 44 55 mellom kl. 8 og 15, eller "
    "send en melding på Helsenorge. VIKTIG: Kontoret er stengt 01.07.2025. Ved akutt sykdom "
    "ring 113, og legevakten på 116 117. Legekontoret behandler henvendelser fortløpende, "
    "normalt innen fem arbeidsdager, men det kan ta lengre tid i ferier."
)[:300]


def summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return f"{name:<40} median {statistics.median(ms):6.2f} ms   p95 {p95:6.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=len(TEXT))
    args = parser.parse_args()
    text = TEXT[: args.keys]
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        upgrade_schema(engine)
        factory = make_session_factory(engine)
        with transaction(factory) as session:
            country = build_small_country(session)
        app = EditorApp(factory, resolve_identity(factory, country.kari))
        assert app.editor is not None
        card = app.editor.cards.cards["reseptfornyelse"]
        rules, hints, keystroke = [], [], []
        for n in range(1, len(text) + 1):
            typed = text[:n]
            start = time.perf_counter()
            check_text(typed, area="reseptfornyelse")
            rules.append(time.perf_counter() - start)
            start = time.perf_counter()
            card.hints.list.show(typed)
            hints.append(time.perf_counter() - start)
            card.hints.list.value = ""  # so the next keystroke sends its list again
            start = time.perf_counter()
            card.textarea.value = typed
            keystroke.append(time.perf_counter() - start)
        engine.dispose()
    found = ", ".join(h.code for h in card.hints.list.hints)
    print(f"{len(text)} tastetrykk, {len(text)} tegn; merknader til slutt: {found}")
    print(summary("check_text", rules))
    print(summary("merknadslisten (HintList.show)", hints))
    print(summary("hele tastetrykket på kortet", keystroke))
    return 0


if __name__ == "__main__":
    sys.exit(main())
