#!/usr/bin/env python
"""Render bench/run's JSON results as the Markdown tables of docs/benchmarks.md.

.venv/bin/python bench/report.py bench/results/20261123-2200-100k.json [...]
"""

import json
import sys

SERVERS = ("project", "datasette", "bare")


def cell(fig: dict | None) -> str:
    if not fig:
        return "n/a"
    text = f"{fig['rps']:,.1f} ({fig.get('p50_ms', '-')} / {fig.get('p95_ms', '-')})"
    errors = fig.get("non_2xx", 0) + fig.get("errors", 0)
    return text + (f" **{errors} errors**" if errors else "")


def render(path: str) -> str:
    with open(path, encoding="utf-8") as file:
        data = json.load(file)
    facts = data["facts"]
    lines = [
        f"### {data['size']}: {facts['works_public']:,} public works "
        f"(run of {data['started']}, {data['settings']['duration_s']} s per cell, "
        f"load average after: {data.get('machine_load_after', '?').split()[0]})",
        "",
        f"Theme `{facts['theme']}` ({facts['theme_works']:,} works); page {facts['page']:,}; "
        f"deep cursor after {facts['depth']:,} works. Cells: req/s (p50 / p95 ms).",
        "",
        "| request | conns | project | Datasette | bare view | project/Datasette | project/bare |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in data["requests"]:
        for conns, figs in row["runs"].items():
            lines.append(
                f"| {row['name']} | {conns} | "
                + " | ".join(cell(figs.get(s)) for s in SERVERS)
                + f" | {figs.get('project_vs_datasette') or 'n/a'} | "
                f"{figs.get('project_vs_bare') or 'n/a'} |"
            )
    for name, fig in data.get("csv", {}).items():
        cut = " (cut at the limit)" if fig.get("cut_after_limit") else ""
        lines.append(
            f"\nCSV of every work, {name}: {fig.get('seconds')} s{cut}, "
            f"{fig.get('lines', 0):,} lines ({fig.get('lines_per_second')} lines/s), "
            f"peak RSS of the serving process {fig.get('peak_rss_mb')} MB "
            f"(before: {fig.get('rss_before_mb')} MB)."
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print("\n\n".join(render(path) for path in sys.argv[1:]))
