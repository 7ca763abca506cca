"""p50 at 20,000 employees against p50 at 2,000 (issue 15: each page within 1.5×), per database.

    .venv/bin/python bench/scale_report.py [--date YYYY-MM-DD] [--small 1] [--large 10]

Reads the newest bench/results/<date>-<backend>-scale1.json and -scale10.json of each backend
(written by ``bench/run.py``) and prints a markdown table; writes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
BOUND = 1.5
PAGES = ("lesson", "quiz_page", "autosave", "my_training", "supervisor_dashboard", "cycle_overview", "item_analysis")


def newest(backend: str, scale: str, date: str | None) -> dict | None:
    files = sorted(RESULTS.glob(f"{date or '*'}-{backend}-scale{scale}.json"))
    return json.loads(files[-1].read_text()) if files else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--date")
    parser.add_argument("--small", default="1", help="the scale of the small run (1 = 2,000 employees)")
    parser.add_argument("--large", default="10", help="the scale of the large run (10 = 20,000 employees)")
    args = parser.parse_args(argv)
    lines = [f"| database | page | p50 ms at scale {args.small} | p50 ms at scale {args.large} | × | ≤ 1.5× |",
             "|---|---|---:|---:|---:|---|"]
    for backend in ("sqlite", "postgresql"):
        small, big = newest(backend, args.small, args.date), newest(backend, args.large, args.date)
        if not small or not big:
            lines.append(f"| {backend} | (no scale-{args.small} and scale-{args.large} results) | | | | |")
            continue
        for page in PAGES:
            a, b = small["endpoints"][page]["p50_ms"], big["endpoints"][page]["p50_ms"]
            ratio = b / a if a else float("inf")
            lines.append(f"| {backend} | {page} | {a:.1f} | {b:.1f} | {ratio:.2f} | {'yes' if ratio <= BOUND else '**no**'} |")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
