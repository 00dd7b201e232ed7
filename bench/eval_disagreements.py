#!/usr/bin/env python3
"""Measure the quality of digest's figure disagreements on a hand-made evaluation set.

    python3 bench/eval_disagreements.py [--project DIR] [--json] [--strip-new-keys] [--list]

The project (default: bench/eval/disagreements/) is a digest project: content/
(site.yaml, articles/, topics/) and expected.yaml, the truth: per figure, the
disagreements a reader should be told about (figure, outlier outlet and value,
kind) and the values several outlets corroborate. The truth was decided from
SPEC.md, never from what digest outputs.

The content is copied to a temporary folder and built there with
`python3 -m digest build` in a subprocess, so the digest measured is whichever
one PYTHONPATH (or the installed package) gives, e.g.

    PYTHONPATH=/tmp/digest-before python3 bench/eval_disagreements.py --strip-new-keys

`--strip-new-keys` removes the topic keys `trend` and `window` from the copy, for
versions of digest that do not know them (they reject unknown keys).

Matching. A reported figure disagreement matches an expected one when it is about
the same topic and figure and the expected outlier (outlet, value) is among its
outlier positions: `outlier` in the new digest.json format, either of the
`positions` in the old one (which has no `outlier`). Expected and reported
disagreements are paired one to one (a maximum matching), so:

    true positives   expected disagreements matched by a reported one
    recall           true positives / expected
    precision        true positives / reported (a dispute split over ten cards
                     counts one true positive and nine duplicates)
    false alarms     reported disagreements that match no expected one at all
    duplicates       reported ones that match only expected ones already matched
    false probable errors
                     reported with severity probable-error that match no
                     expected probable error
    kind right       true positives whose severity (and, in the new format,
                     reason counting-body) is the expected kind

Corroborated groups: an expected group is found when a reported group of the same
figure has its value (or low..high) within tolerance of the expected value and at
least two of the expected outlets among its sources. Wrong groups are reported
groups containing a value that must never corroborate (an estimate, a withdrawn
value, an outlier); one-outlet groups are reported groups with fewer than two
different outlets.

It always exits 0 (a measurement, not a test), also when the build fails: then
it prints the build's errors and no table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_PROJECT = HERE / "eval" / "disagreements"
VALUE_MATCH = 0.005  # an outlier position "is" the expected value within 0.5 %


def _same_value(a, b, rel=VALUE_MATCH) -> bool:
    if a is None or b is None:
        return False
    a, b = float(a), float(b)
    return abs(a - b) <= rel * max(abs(a), abs(b), 1.0)


def _same_source(a, b) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


# ----------------------------------------------------------------- build


def _strip_new_keys(topics_dir: Path) -> int:
    """Remove `trend` and `window` from every figure of every topic file; the number removed."""
    removed = 0
    for path in sorted(topics_dir.glob("*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for fig in (data or {}).get("figures") or []:
            for key in ("trend", "window"):
                if isinstance(fig, dict) and key in fig:
                    del fig[key]
                    removed += 1
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return removed


def build(project: Path, work: Path, strip_new_keys: bool) -> dict:
    """Build a copy of the project's content into work/site; digest.json and what happened."""
    content = work / "content"
    shutil.copytree(project / "content", content)
    stripped = _strip_new_keys(content / "topics") if strip_new_keys else 0
    out = work / "site"
    base = [sys.executable, "-m", "digest", "build", "--content", str(content), "--out", str(out), "--quiet"]
    env = dict(os.environ)
    started = time.perf_counter()
    proc = subprocess.run(base + ["--no-search"], cwd=work, env=env, capture_output=True, text=True)
    if proc.returncode == 2 and "no-search" in (proc.stderr + proc.stdout):  # a digest without --no-search
        started = time.perf_counter()
        proc = subprocess.run(base, cwd=work, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    where = subprocess.run(
        [sys.executable, "-c", "import digest, os; print(os.path.dirname(os.path.dirname(os.path.abspath(digest.__file__))))"],
        cwd=work, env=env, capture_output=True, text=True,
    ).stdout.strip()
    result = {"returncode": proc.returncode, "seconds": round(seconds, 2), "digest": where, "stripped_keys": stripped,
              "stderr": proc.stderr.strip(), "stdout": proc.stdout.strip()}
    data_path = out / "digest.json"
    if proc.returncode == 0 and data_path.is_file():
        result["data"] = json.loads(data_path.read_text(encoding="utf-8"))
    return result


# ----------------------------------------------------------------- reported


def reported_disagreements(data: dict) -> list[dict]:
    """Every figure disagreement of digest.json, in one shape for both formats."""
    found = []
    for topic in data.get("topics", []):
        for d in topic.get("disagreements", []):
            if d.get("kind", "figure") != "figure":
                continue
            new_format = "outlier" in d
            outlier = d.get("outlier") if new_format else d.get("positions", [])
            found.append({
                "topic": topic.get("slug"),
                "figure": d.get("figure"),
                "severity": d.get("severity"),
                "reason": d.get("reason"),
                "format": "new" if new_format else "old",
                "outlier": outlier or [],
                "against": d.get("against", []) if new_format else [],
                "explanation": d.get("explanation", ""),
            })
    return found


def reported_corroborations(data: dict) -> list[dict]:
    groups = []
    for topic in data.get("topics", []):
        for c in topic.get("corroborated", []):
            groups.append({"topic": topic.get("slug"), **c})
    return groups


def figure_value_counts(data: dict) -> dict:
    counts = {}
    for topic in data.get("topics", []):
        for f in topic.get("figures", []):
            counts[f.get("id")] = len(f.get("values", []))
    return counts


# ----------------------------------------------------------------- truth


def expected_disagreements(truth: dict) -> list[dict]:
    out = []
    for fig_id, fig in (truth.get("figures") or {}).items():
        for d in fig.get("disagreements") or []:
            candidates = d.get("outlier_any") or [d["outlier"]]
            out.append({"topic": fig.get("topic"), "figure": fig_id, "kind": d["kind"], "reason": d.get("reason"),
                        "candidates": candidates, "note": (d.get("note") or "").strip()})
    return out


def _label(e: dict) -> str:
    c = e["candidates"]
    who = f"{c[0]['source']} {c[0]['value']:,}" if len(c) == 1 else f"one of {len(c)} positions ({c[0]['source']} {c[0]['value']:,}, ...)"
    return f"{e['figure']}: {e['kind']}, {who}"


def _can_match(r: dict, e: dict) -> bool:
    if r["figure"] != e["figure"] or (e["topic"] and r["topic"] != e["topic"]):
        return False
    return any(_same_source(p.get("source"), c["source"]) and _same_value(p.get("value"), c["value"])
               for p in r["outlier"] for c in e["candidates"])


def _max_matching(rep: list[dict], exp: list[dict]) -> dict[int, int]:
    """Reported index -> expected index, as many pairs as possible (Kuhn's augmenting paths).

    Among equally large matchings it leans towards pairs of the right kind: reported
    disagreements with a right-kind edge are tried first, and their right-kind edges
    first (so in the old format, where every pair holding the outlier matches, the
    card of the right severity is the one judged)."""
    edges = {}
    for i, r in enumerate(rep):
        js = [j for j, e in enumerate(exp) if _can_match(r, e)]
        edges[i] = sorted(js, key=lambda j: not _kind_right(r, exp[j]))
    order = sorted(edges, key=lambda i: not (edges[i] and _kind_right(rep[i], exp[edges[i][0]])))
    owner: dict[int, int] = {}  # expected -> reported

    def augment(i: int, seen: set) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in order:
        if edges[i]:
            augment(i, set())
    return {i: j for j, i in owner.items()}


def _kind_right(r: dict, e: dict) -> bool:
    if e["kind"] == "probable-error":
        return r["severity"] == "probable-error"
    if e["kind"] == "counting-body":
        return r["severity"] != "probable-error" and (r["format"] == "old" or r["reason"] == "counting-body")
    return r["severity"] == "differs" and (r["format"] == "old" or r["reason"] != "counting-body")


def _group_range(g: dict) -> tuple[float, float] | None:
    lo, hi = g.get("low"), g.get("high")
    if lo is None or hi is None:
        v = g.get("value")
        if v is None:
            return None
        lo = hi = v
    return float(lo), float(hi)


def evaluate(data: dict, truth: dict) -> dict:
    tol = float(truth.get("tolerance", 0.05))
    rep = reported_disagreements(data)
    exp = expected_disagreements(truth)
    pairs = _max_matching(rep, exp)
    matchable = {i for i, r in enumerate(rep) if any(_can_match(r, e) for e in exp)}
    false_alarms = [i for i in range(len(rep)) if i not in matchable]
    duplicates = [i for i in matchable if i not in pairs]
    expected_pe = [e for e in exp if e["kind"] == "probable-error"]
    false_pe = [i for i, r in enumerate(rep) if r["severity"] == "probable-error" and not any(_can_match(r, e) for e in expected_pe)]
    tp = len(pairs)
    kind_right = sum(1 for i, j in pairs.items() if _kind_right(rep[i], exp[j]))
    matched_exp = set(pairs.values())
    missed = [exp[j] for j in range(len(exp)) if j not in matched_exp]

    groups = reported_corroborations(data)
    corr_expected = corr_found = 0
    corr_missed, wrong_groups, one_outlet = [], [], []
    for fig_id, fig in (truth.get("figures") or {}).items():
        fig_groups = [g for g in groups if g.get("figure") == fig_id]
        for want in fig.get("corroborated") or []:
            corr_expected += 1
            v = float(want["value"])
            ok = False
            for g in fig_groups:
                rng = _group_range(g)
                if rng is None:
                    continue
                lo, hi = rng
                close = lo * (1 - tol) <= v <= hi * (1 + tol) or _same_value(g.get("value"), v, tol)
                shared = sum(1 for s in want["sources"] if any(_same_source(s, gs) for gs in g.get("sources", [])))
                if close and shared >= 2:
                    ok = True
                    break
            corr_found += ok
            if not ok:
                corr_missed.append(f"{fig_id}: {v:,.0f}")
        for g in fig_groups:
            rng = _group_range(g)
            bad = [b for b in fig.get("not_corroborated") or [] if rng and rng[0] * (1 - VALUE_MATCH) <= float(b["value"]) <= rng[1] * (1 + VALUE_MATCH)]
            if bad:
                wrong_groups.append(f"{fig_id}: group {g.get('value')} from {', '.join(g.get('sources', []))} holds {bad[0]['value']:,} ({bad[0]['why']})")
    for g in groups:
        if len({s.casefold() for s in g.get("sources", [])}) < 2:
            one_outlet.append(f"{g.get('figure')}: {g.get('value')} from {', '.join(g.get('sources', []))}")

    per_figure = {}
    for fig_id in (truth.get("figures") or {}):
        idx = [i for i, r in enumerate(rep) if r["figure"] == fig_id]
        per_figure[fig_id] = {
            "expected": sum(1 for e in exp if e["figure"] == fig_id),
            "reported": len(idx),
            "true_positives": sum(1 for i in idx if i in pairs),
            "false_alarms": sum(1 for i in idx if i in false_alarms),
            "duplicates": sum(1 for i in idx if i in duplicates),
            "probable_errors": sum(1 for i in idx if rep[i]["severity"] == "probable-error"),
        }
    other = [r for r in rep if r["figure"] not in (truth.get("figures") or {})]

    listing = []
    for i, r in enumerate(rep):
        status = f"matches [{_label(exp[pairs[i]])}]" if i in pairs else ("DUPLICATE" if i in duplicates else "FALSE ALARM")
        out = "; ".join(f"{p.get('source')} {p.get('says') or p.get('value')!s}" + (f" ({p['as_of']})" if p.get("as_of") else "") for p in r["outlier"])
        listing.append(f"{r['topic']}/{r['figure']} {r['severity']} {r['reason'] or ''} outlier: {out}"
                       + (f" | against {len(r['against'])}" if r["format"] == "new" else "") + f" -> {status}")

    formats = sorted({r["format"] for r in rep}) or ["(none)"]
    return {
        "format": "/".join(formats),
        "expected": len(exp),
        "expected_by_kind": {k: sum(1 for e in exp if e["kind"] == k) for k in ("differs", "probable-error", "counting-body")},
        "reported": len(rep),
        "true_positives": tp,
        "recall": round(tp / len(exp), 3) if exp else None,
        "precision": round(tp / len(rep), 3) if rep else None,
        "false_alarms": len(false_alarms),
        "duplicates": len(duplicates),
        "false_probable_errors": len(false_pe),
        "probable_errors_reported": sum(1 for r in rep if r["severity"] == "probable-error"),
        "kind_right": kind_right,
        "missed": [_label(e) for e in missed],
        "corroborated_expected": corr_expected,
        "corroborated_found": corr_found,
        "corroborated_reported": len(groups),
        "corroborated_missed": corr_missed,
        "wrong_corroborations": wrong_groups,
        "one_outlet_groups": one_outlet,
        "per_figure": per_figure,
        "unexpected_figures": len(other),
        "values": figure_value_counts(data),
        "listing": listing,
    }


# ----------------------------------------------------------------- report


def _pct(x):
    return "—" if x is None else f"{x:.0%}" if x in (0, 1) else f"{x:.1%}"


def print_report(res: dict, build_info: dict, project: Path, show_list: bool) -> None:
    print(f"# Disagreement evaluation: {project}")
    print()
    print(f"digest from {build_info['digest'] or '?'}; build {build_info['seconds']} s"
          + (f"; stripped {build_info['stripped_keys']} trend/window keys" if build_info["stripped_keys"] else "")
          + f"; digest.json format: {res['format']}; {sum(res['values'].values())} figure values")
    print()
    k = res["expected_by_kind"]
    rows = [
        ("expected disagreements", f"{res['expected']} ({k['differs']} differs, {k['probable-error']} probable-error, {k['counting-body']} counting-body)"),
        ("reported disagreements", res["reported"]),
        ("true positives", res["true_positives"]),
        ("recall", _pct(res["recall"])),
        ("precision", _pct(res["precision"])),
        ("false alarms (match no expected)", res["false_alarms"]),
        ("duplicates (of a matched one)", res["duplicates"]),
        ("probable errors reported", res["probable_errors_reported"]),
        ("false probable errors", res["false_probable_errors"]),
        ("kind right (of true positives)", f"{res['kind_right']}/{res['true_positives']}"),
        ("corroborated groups found / expected", f"{res['corroborated_found']}/{res['corroborated_expected']} ({res['corroborated_reported']} reported)"),
        ("wrong corroborations (estimate, withdrawn, outlier)", len(res["wrong_corroborations"])),
        ("one-outlet corroborated groups", len(res["one_outlet_groups"])),
    ]
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    print()
    print("| figure | values | expected | reported | true pos. | false alarms | duplicates | probable errors |\n|---|---|---|---|---|---|---|---|")
    for fig, s in res["per_figure"].items():
        print(f"| {fig} | {res['values'].get(fig, 0)} | {s['expected']} | {s['reported']} | {s['true_positives']} | {s['false_alarms']} | {s['duplicates']} | {s['probable_errors']} |")
    print()
    print("Missed:" + ("" if res["missed"] else " none"))
    for m in res["missed"]:
        print(f"  - {m}")
    if res["corroborated_missed"]:
        print("Corroborated groups not found: " + "; ".join(res["corroborated_missed"]))
    for w in res["wrong_corroborations"]:
        print(f"Wrong corroboration: {w}")
    for w in res["one_outlet_groups"]:
        print(f"One-outlet group: {w}")
    if show_list:
        print()
        print("Reported disagreements:")
        for line in res["listing"]:
            print(f"  - {line}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See the module docstring (and bench/README.md) for how disagreements are matched.")
    ap.add_argument("--project", type=Path, default=DEFAULT_PROJECT, help="evaluation project: content/ and expected.yaml [default: %(default)s]")
    ap.add_argument("--json", action="store_true", help="print the measurements as JSON")
    ap.add_argument("--strip-new-keys", action="store_true", help="remove the topic keys trend and window before building (for a digest that does not know them)")
    ap.add_argument("--list", action="store_true", help="also list every reported disagreement and what it matched")
    args = ap.parse_args(argv)
    project = args.project.resolve()
    truth = yaml.safe_load((project / "expected.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="digest-eval-") as tmp:
        info = build(project, Path(tmp), args.strip_new_keys)
    if "data" not in info:
        msg = f"build failed (exit {info['returncode']}), nothing measured"
        if args.json:
            print(json.dumps({"error": msg, "digest": info["digest"], "stderr": info["stderr"][-4000:]}, indent=2))
        else:
            print(f"# Disagreement evaluation: {project}\n\n{msg}; digest from {info['digest']}:\n")
            print((info["stderr"] or info["stdout"])[-4000:])
            if "trend" in info["stderr"] or "window" in info["stderr"]:
                print("\n(this digest does not know `trend`/`window`: try --strip-new-keys)")
        return 0
    res = evaluate(info.pop("data"), truth)
    if args.json:
        print(json.dumps({"build": {k: v for k, v in info.items() if k not in ("stderr", "stdout")}, **res}, indent=2))
    else:
        print_report(res, info, project, args.list)
    return 0


if __name__ == "__main__":
    sys.exit(main())
