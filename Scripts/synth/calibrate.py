"""Fits the confidence model (Sources/ConvoyCore/ConvoyConfidence.swift) on benchmark results and
scores it on held-out sets.

Input: the per-scene JSON that `convoy-synth benchmark --json` writes. Every reported convoy there
carries the `evidence` that `convoy measure` printed and its outcome against the truth: matched to a
truth column, a fragment of one (both real columns), or false. The model is a logistic regression
on `features()` (the same inputs, in the same order, as `ConvoyConfidence.features` in Swift),
with an L2 penalty on every coefficient but the intercept, fitted by Newton's method. It prints
the coefficients as a Swift array, and for every set: how many reports, the real ones, the mean
confidence of real and false reports, the Brier score, the area under the ROC curve, and the
false reports at confidence >= 0.5.
"""
import json
import math
import os
import re
import sys

from .deps import np


def features(e):
    """Mirror of ConvoyConfidence.features (Swift): keep the two in step."""
    a = e.get("aligned_fraction")
    return [1.0, math.log2(max(0.05, e["working_gsd_m"])), e["streak_fraction"],
            math.log10(max(0.1, e["vehicles_per_km"])), 0.5 if a is None else a, 1.0 if a is None else 0.0,
            e["road_band_fraction"], e["darker_than_road_fraction"], e["filled_gap_fraction"],
            e["lateral_spread_m"] / 10, e["median_spacing_m"] / 100]


SWIFT_MODEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Sources", "ConvoyCore",
                           "ConvoyConfidence.swift")


def swift_coefficients(path=SWIFT_MODEL):
    """The coefficients in ConvoyConfidence.swift as it stands (None if they cannot be read)."""
    try:
        text = open(path).read()
    except OSError:
        return None
    m = re.search(r"static let coefficients: \[Double\] = \[([^\]]*)\]", text)
    return [float(x) for x in m.group(1).replace("\n", " ").split(",")] if m else None


def reports(paths, sets=None):
    """(set, scene, features, real, reported confidence) for every reported convoy with evidence."""
    out = []
    for p in paths:
        for scene in json.load(open(p)):
            if scene.get("status") != "run" or (sets and scene["set"] not in sets):
                continue
            for r in scene.get("reports", []):
                if r.get("evidence") is None:
                    continue
                out.append((scene["set"], scene["name"], features(r["evidence"]), r["outcome"] != "false",
                            r.get("confidence")))
    return out


def check_mirror(rows, coefficients):
    """Whether `features()` still mirrors the Swift model: with the coefficients in the source,
    every report's confidence recomputed here must equal the one `convoy measure` printed (when
    the benchmark ran a binary built from this source). Prints what it finds; returns the number
    of reports that differ by more than 1e-6."""
    if coefficients is None:
        print("note: ConvoyConfidence.swift's coefficients could not be read; the features mirror is not checked")
        return 0
    rows = [r for r in rows if r[4] is not None]
    if rows and len(coefficients) != len(rows[0][2]):
        print(f"warning: ConvoyConfidence.swift has {len(coefficients)} coefficients, features() makes "
              f"{len(rows[0][2])}: the Python mirror is out of step with the Swift model", file=sys.stderr)
        return len(rows)
    differ = [r for r in rows
              if abs(1 / (1 + math.exp(-sum(f * c for f, c in zip(r[2], coefficients)))) - r[4]) > 1e-6]
    if differ:
        print(f"warning: for {len(differ)} of {len(rows)} reports the confidence recomputed from their evidence "
              "with ConvoyConfidence.swift's coefficients differs from the one reported: either features() no "
              "longer mirrors ConvoyConfidence.features, or the benchmark ran a binary with other coefficients "
              f"(first: {differ[0][1]})", file=sys.stderr)
    else:
        print(f"features() mirrors the Swift model: {len(rows)} reported confidences recomputed exactly")
    return len(differ)


def fit(X, y, penalty):
    w = np.zeros(X.shape[1])
    reg = np.full(X.shape[1], penalty)
    reg[0] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-(X @ w)))
        grad = X.T @ (p - y) + reg * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + np.diag(reg) + 1e-9 * np.eye(X.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w


PENALTIES = [0.03, 0.1, 0.3, 1.0, 3.0, 10.0]


def cross_validated_penalty(rows, folds=5):
    """The L2 penalty with the lowest Brier score in `folds`-fold cross-validation on the training
    reports, folds by scene (a scene's reports are never split between fitting and scoring)."""
    scenes = sorted({(r[0], r[1]) for r in rows})
    fold_of = {sc: k % folds for k, sc in enumerate(scenes)}
    best = None
    for penalty in PENALTIES:
        errors = []
        for k in range(folds):
            fit_rows = [r for r in rows if fold_of[(r[0], r[1])] != k]
            test_rows = [r for r in rows if fold_of[(r[0], r[1])] == k]
            if not fit_rows or not test_rows:
                continue
            w = fit(np.array([r[2] for r in fit_rows]), np.array([1.0 if r[3] else 0.0 for r in fit_rows]), penalty)
            X = np.array([r[2] for r in test_rows])
            y = np.array([1.0 if r[3] else 0.0 for r in test_rows])
            errors += list((1 / (1 + np.exp(-(X @ w))) - y) ** 2)
        brier = float(np.mean(errors))
        print(f"  penalty {penalty:5}: cross-validated Brier {brier:.4f}")
        if best is None or brier < best[1]:
            best = (penalty, brier)
    return best[0]


def auc(scores, labels):
    pos = [s for s, l in zip(scores, labels) if l]
    neg = [s for s, l in zip(scores, labels) if not l]
    if not pos or not neg:
        return float("nan")
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def score_table(rows, w, title):
    print(f"\n{title}\n")
    print("| set | reports | real | mean confidence, real / false | Brier | ROC AUC | false at ≥ 0.5 |")
    print("|---|---|---|---|---|---|---|")
    for s in sorted({r[0] for r in rows}) + ["all"]:
        rs = [r for r in rows if s in ("all", r[0])]
        if not rs:
            continue
        X = np.array([r[2] for r in rs])
        y = np.array([1.0 if r[3] else 0.0 for r in rs])
        p = 1 / (1 + np.exp(-(X @ w)))
        real_mean = p[y == 1].mean() if (y == 1).any() else float("nan")
        false_mean = p[y == 0].mean() if (y == 0).any() else float("nan")
        brier = float(((p - y) ** 2).mean())
        print(f"| {s} | {len(rs)} | {int(y.sum())} | {real_mean:.2f} / {false_mean:.2f} | {brier:.3f} | "
              f"{auc(list(p), list(y == 1)):.2f} | {int(((p >= 0.5) & (y == 0)).sum())} of {int((y == 0).sum())} |")


def run_calibrate(train_json, train_sets, test_json, penalty):
    train = reports(train_json, set(train_sets) if train_sets else None)
    if len(train) < 20:
        sys.exit(f"convoy-synth calibrate: only {len(train)} training reports with evidence; run the benchmark "
                 "with a convoy binary that prints `evidence` on more scenes")
    check_mirror(train, swift_coefficients())
    X = np.array([r[2] for r in train])
    y = np.array([1.0 if r[3] else 0.0 for r in train])
    if penalty is None:
        print("Choosing the L2 penalty by 5-fold cross-validation over the training scenes:")
        penalty = cross_validated_penalty(train)
    w = fit(X, y, penalty)
    print(f"Fitted on {len(train)} reports ({int(y.sum())} real, {int(len(y) - y.sum())} false) "
          f"from sets {', '.join(sorted({r[0] for r in train}))}; L2 penalty {penalty}.\n")
    print("    public static let coefficients: [Double] = [" + ", ".join(f"{c:.4f}" for c in w) + "]")
    score_table(train, w, "Training sets (fitted on: optimistic)")
    fitted_sets = {r[0] for r in train}
    test = [r for r in reports(test_json) if r[0] not in fitted_sets] if test_json else []
    if test:
        score_table(test, w, "Held-out sets (not fitted on)")
    return 0
