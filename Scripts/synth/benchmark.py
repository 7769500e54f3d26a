"""Benchmark runner: run `convoy measure --format json IMAGE...` on every scene of a suite (or on
all tiles of a corridor), match reported convoys to the truth by path proximity, and print a
markdown table and a summary. `measure` may not exist yet: a scene whose run fails is recorded
as "not run", never as a pass.

Expected measure output: {"images": [...], "convoys": [{"length_km", "vehicles", "confidence",
"head": {"lat", "lon"}, "tail": {"lat", "lon"}, "path": [[lon, lat], ...]}]}

Matching a reported convoy R to a truth convoy T (both paths in local metres):
  overlap  = fraction of T's length (sampled every 10 m) within MATCH_M (50 m) of R's path
  offset   = mean distance of R's path points (every 10 m) to T's path
  a pair matches when overlap > 0.5 and offset < MATCH_M; pairs are taken greedily, best overlap
  first, one to one. Unmatched truth convoys are missed. An unmatched reported convoy lying on a
  truth column (offset < MATCH_M, some overlap) is a fragment of it; any other is a false convoy.
"""
import json
import math
import os
import statistics
import subprocess
import sys

from .deps import np, pyproj

MATCH_M = 50.0


def local_xy(path, lon0, lat0):
    p = np.asarray(path, float).reshape(-1, 2)
    return np.stack([(p[:, 0] - lon0) * 111320.0 * math.cos(math.radians(lat0)),
                     (p[:, 1] - lat0) * 110574.0], axis=1)


def densify(P, step=10.0):
    if len(P) < 2:
        return P
    d = np.concatenate([[0], np.cumsum(np.hypot(*np.diff(P, axis=0).T))])
    if d[-1] == 0:
        return P[:1]
    s = np.append(np.arange(0, d[-1], step), d[-1])
    return np.stack([np.interp(s, d, P[:, 0]), np.interp(s, d, P[:, 1])], axis=1)


def dist_to_polyline(Q, P):
    """Distance of each point of Q (n, 2) to the polyline P (m, 2)."""
    if len(P) == 1:
        return np.hypot(Q[:, 0] - P[0, 0], Q[:, 1] - P[0, 1])
    A, B = P[:-1], P[1:]
    AB = B - A
    L2 = np.maximum((AB ** 2).sum(1), 1e-12)
    out = np.empty(len(Q))
    chunk = max(1, 2_000_000 // len(A))
    for i in range(0, len(Q), chunk):
        q = Q[i:i + chunk, None, :]
        t = np.clip(((q - A) * AB).sum(-1) / L2, 0, 1)
        proj = A + t[..., None] * AB
        out[i:i + chunk] = np.sqrt(((q - proj) ** 2).sum(-1)).min(1)
    return out


def match(truth_convoys, reported):
    if not truth_convoys and not reported:
        match.cover = []
        match.fragments = []
        return [], [], []
    allp = [c["path"] for c in truth_convoys] + [r.get("path") or [] for r in reported]
    pts = np.concatenate([np.asarray(p, float).reshape(-1, 2) for p in allp if len(p)])
    lon0, lat0 = float(pts[:, 0].mean()), float(pts[:, 1].mean())
    T = [densify(local_xy(c["path"], lon0, lat0)) for c in truth_convoys]
    R = [densify(local_xy(r["path"], lon0, lat0)) if r.get("path") else None for r in reported]
    pairs = []
    cover = []
    on_truth = set()
    for i, t in enumerate(T):
        near_any = np.zeros(len(t), bool)
        pieces = 0
        for j, r in enumerate(R):
            if r is None or len(r) == 0:
                continue
            near = dist_to_polyline(t, r) < MATCH_M
            near_any |= near
            overlap = float(near.mean())
            offset = float(dist_to_polyline(r, t).mean())
            if near.any() and offset < MATCH_M:
                pieces += 1
                on_truth.add(j)
            if overlap > 0.5 and offset < MATCH_M:
                pairs.append((overlap, -offset, i, j))
        cover.append((float(near_any.mean()), pieces))
    pairs.sort(reverse=True)
    used_t, used_r, matches = set(), set(), []
    for overlap, neg_off, i, j in pairs:
        if i in used_t or j in used_r:
            continue
        used_t.add(i)
        used_r.add(j)
        matches.append((i, j, overlap, -neg_off))
    missed = [i for i in range(len(T)) if i not in used_t]
    # unmatched reports lying on a truth column are fragments of it, the others false convoys
    false = [j for j in range(len(R)) if j not in used_r and j not in on_truth]
    match.fragments = [j for j in range(len(R)) if j not in used_r and j in on_truth]
    match.cover = cover   # per truth convoy: (fraction within MATCH_M of any reported path, pieces on it)
    return matches, missed, false


def linkable(detection, gsd):
    """Whether `convoy measure` links this candidate: vehicle-sized blobs always, pieces of
    streaks only where vehicles are resolved (working pixels of at most 1.2 m; images finer than
    0.9 m are averaged by a whole factor towards 0.9 m: `ConvoyDetector.workingFactor`)."""
    working = gsd * max(1, int(0.9 / gsd))
    return detection.get("kind") != "streak_piece" or working <= 1.2


def candidate_recall(truth, detections, linkable_only=False):
    """Per truth convoy: the fraction of its vehicles with a candidate (`measure --detections`)
    within max(6 m, 2 pixels) of its centre; with `linkable_only`, a candidate the linker uses
    (`linkable`: in coarse images the pieces of streaks count towards detection but are not
    linked). Separates what detection loses from what linking and the column tests lose.
    Single-image scenes only (None otherwise)."""
    if detections is None or "geotransform" not in truth:
        return None
    gt, gsd = truth["geotransform"], truth["gsd_m"]
    to_crs = pyproj.Transformer.from_crs("EPSG:4326", truth["crs"], always_xy=True)
    if linkable_only:
        detections = [d for d in detections if linkable(d, gsd)]
    D = np.array([(d["x"], d["y"]) for d in detections], float).reshape(-1, 2)
    tol_px = max(6.0 / gsd, 2.0)
    out = []
    for ci, _ in enumerate(truth["convoys"]):
        vs = [v for v in truth["vehicles"] if v.get("convoy") == ci]
        if not vs:
            out.append(None)
            continue
        X, Y = to_crs.transform([v["lon"] for v in vs], [v["lat"] for v in vs])
        # north-up geotransform (the generator writes no rotation)
        px = (np.asarray(X) - gt[0]) / gt[1]
        py = (np.asarray(Y) - gt[3]) / gt[5]
        if len(D) == 0:
            out.append(0.0)
            continue
        hit = sum(1 for x, y in zip(px, py) if np.min(np.hypot(D[:, 0] - x, D[:, 1] - y)) <= tol_px)
        out.append(hit / len(vs))
    return out


def why_missed(truth_convoys, missed, reported, not_reported):
    """For each missed truth convoy (indices `missed`), what stopped it: the `rejection` of the
    column found but not reported (`measure --explain`) that lies along most of it (at least
    30 % of its length within MATCH_M of that column's path), "reported in part" when reported
    convoys cover at least 30 % of it but none matched, else "no column on it"."""
    out = {}
    if not missed:
        return out
    paths = [c["path"] for c in truth_convoys] + [c["path"] for c in reported + not_reported if c.get("path")]
    pts = np.concatenate([np.asarray(p, float).reshape(-1, 2) for p in paths])
    lon0, lat0 = float(pts[:, 0].mean()), float(pts[:, 1].mean())
    # each column's path in local metres, once
    rejected = [(densify(local_xy(c["path"], lon0, lat0)), c.get("rejection", "?")) for c in not_reported if c.get("path")]
    shown = [densify(local_xy(c["path"], lon0, lat0)) for c in reported if c.get("path")]
    for i in missed:
        t = densify(local_xy(truth_convoys[i]["path"], lon0, lat0))
        best, reason = 0.0, "no column on it"
        for path, rejection in rejected:
            overlap = float((dist_to_polyline(t, path) < MATCH_M).mean())
            if overlap >= 0.3 and overlap > best:
                best, reason = overlap, rejection
        if best == 0.0:
            near = np.zeros(len(t), bool)
            for path in shown:
                near |= dist_to_polyline(t, path) < MATCH_M
            if near.mean() >= 0.3:
                reason = "reported in part"
        out[i] = reason
    return out


def load_scenes(suite):
    man = os.path.join(suite, "manifest.json")
    if os.path.exists(man):
        m = json.load(open(man))
        for e in m["scenes"]:
            yield dict(name=e["name"], set=e.get("set", ""), kind=e["kind"], gsd=e["gsd"], crs=e["crs_epsg"],
                       format=e["format"], images=[os.path.join(suite, e["image"])],
                       truth=json.load(open(os.path.join(suite, e["truth"]))))
        return
    tiles = os.path.join(suite, "tiles.json")
    if os.path.exists(tiles):
        m = json.load(open(tiles))
        yield dict(name=os.path.basename(os.path.abspath(suite)), set="corridor", kind="corridor", gsd=m["gsd_m"],
                   crs=m["crs"], format="jpeg", images=[os.path.join(suite, t["image"]) for t in m["tiles"]],
                   truth=json.load(open(os.path.join(suite, m["truth"]))))
        return
    sys.exit(f"convoy-synth benchmark: no manifest.json or tiles.json in {suite}")


def run_measure(convoy, images, timeout, extra=()):
    cmd = [convoy, "measure", "--format", "json", *extra, *images]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        return None, f"binary not found: {convoy}"
    except subprocess.TimeoutExpired:
        return None, f"timeout after {timeout:.0f} s"
    if p.returncode != 0:
        msg = (p.stderr.strip().splitlines() or ["(no message)"])[0]
        return None, f"exit {p.returncode}: {msg[:120]}"
    try:
        out = json.loads(p.stdout)
        if not isinstance(out, dict) or not isinstance(out.get("convoys"), list):
            raise ValueError("no 'convoys' list")
        return out, None
    except ValueError as e:
        return None, f"unreadable JSON: {e}"


def fmt_list(xs):
    return " / ".join(xs) if xs else "–"


def run_benchmark(suite, convoy, json_out=None, timeout=600, sets=None, min_confidence=None, stages=False,
                  max_gap=None):
    results = []
    for sc in load_scenes(suite):
        if sets and sc["set"] not in sets:
            continue
        truth = sc["truth"]
        tc = truth["convoys"]
        extra = ["--min-confidence", str(min_confidence)] if min_confidence is not None else []
        if max_gap is not None:
            extra += ["--max-gap", str(max_gap)]
        if stages:
            extra.append("--explain")
            if len(sc["images"]) == 1:
                extra.append("--detections")
        out, err = run_measure(convoy, sc["images"], timeout, extra)
        r = dict(name=sc["name"], set=sc["set"], kind=sc["kind"], gsd=sc["gsd"], crs=sc["crs"], format=sc["format"],
                 truth_km=[c["length_m"] / 1000 for c in tc], truth_vehicles=[c["vehicles"] for c in tc])
        if out is None:
            r.update(status="not run", reason=err)
        else:
            rep = out["convoys"]
            matches, missed, false = match(tc, rep)
            m_by_t = {i: (j, ov, off) for i, j, ov, off in matches}
            meas, errs, veh = [], [], []
            for i, c in enumerate(tc):
                if i in m_by_t:
                    j, ov, off = m_by_t[i]
                    km = float(rep[j].get("length_km", float("nan")))
                    meas.append(km)
                    errs.append(100.0 * (km * 1000 - c["length_m"]) / c["length_m"])
                    veh.append(rep[j].get("vehicles"))
                else:
                    meas.append(None)
                    errs.append(None)
                    veh.append(None)
            # every reported convoy with its confidence and what it turned out to be
            kinds = {j: ("matched", errs[i]) for i, j, _, _ in matches}
            kinds.update({j: ("fragment", None) for j in match.fragments})
            kinds.update({j: ("false", None) for j in false})
            reports = [dict(confidence=rep[j].get("confidence"), length_km=rep[j].get("length_km"),
                            vehicles=rep[j].get("vehicles"), outcome=kinds[j][0], error_pct=kinds[j][1],
                            evidence=rep[j].get("evidence"))
                       for j in range(len(rep))]
            if stages:
                r["candidate_recall"] = candidate_recall(truth, out.get("detections"))
                r["linkable_recall"] = candidate_recall(truth, out.get("detections"), linkable_only=True)
                r["why_missed"] = list(why_missed(tc, missed, rep, out.get("not_reported") or []).values())
            r.update(status="run", measured_km=meas, error_pct=errs, measured_vehicles=veh, reports=reports,
                     false_convoys=len(false), missed_convoys=len(missed), reported=len(rep),
                     overlaps=[round(ov, 3) for _, _, ov, _ in matches],
                     truth_covered=[round(c, 3) for c, _ in match.cover],
                     pieces_on_truth=[p for _, p in match.cover], fragments=len(match.fragments))
        results.append(r)
        print(f"{sc['name']}: {r['status']}" + (f" ({r['reason']})" if r["status"] != "run" else ""), file=sys.stderr)
    # ---- table
    print("| scene | set | kind | GSD m | CRS | format | truth km | measured km | error % | vehicles truth/measured | false | missed |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        tk = fmt_list([f"{x:.3f}" for x in r["truth_km"]])
        if r["status"] != "run":
            print(f"| {r['name']} | {r['set']} | {r['kind']} | {r['gsd']} | {r['crs']} | {r['format']} | {tk} | "
                  f"not run | – | {fmt_list([str(v) for v in r['truth_vehicles']])}/– | – | – |")
            continue
        mk = fmt_list(["missed" if x is None else f"{x:.3f}" for x in r["measured_km"]])
        ek = fmt_list(["–" if x is None else f"{x:+.2f}" for x in r["error_pct"]])
        vv = fmt_list([f"{t}/{'–' if m is None else m}" for t, m in zip(r["truth_vehicles"], r["measured_vehicles"])])
        print(f"| {r['name']} | {r['set']} | {r['kind']} | {r['gsd']} | {r['crs']} | {r['format']} | {tk} | {mk} | "
              f"{ek} | {vv} | {r['false_convoys']} | {r['missed_convoys']} |")
    # ---- summary, per set
    print()
    for s in sorted({r["set"] for r in results}) + ["all"]:
        rs = [r for r in results if s in ("all", r["set"])]
        run = [r for r in rs if r["status"] == "run"]
        errs = [abs(e) for r in run for e in r["error_pct"] if e is not None]
        n_truth = sum(len(r["truth_km"]) for r in run)
        none_sc = [r for r in run if not r["truth_km"]]
        none_fp = [r for r in none_sc if r["reported"] > 0]
        multi = [r for r in run if len(r["truth_km"]) > 1]
        multi_miss = [r for r in multi if r["missed_convoys"] > 0]
        cov = [c for r in run for c in r.get("truth_covered", [])]
        cov_txt = (f"truth length within {MATCH_M:.0f} m of some reported path: median "
                   f"{100 * statistics.median(cov):.0f} %; " if cov else "")
        # vehicle counts of the matched columns against the truth's
        verr = [100.0 * abs(m - t) / t for r in run for t, m in zip(r["truth_vehicles"], r["measured_vehicles"])
                if m is not None and t]
        count_txt = (f"vehicle count error |%| of matched columns median {statistics.median(verr):.0f}, "
                     f"worst {max(verr):.0f}; " if verr else "")
        print(f"**{s}**: {len(run)}/{len(rs)} scenes run ({len(rs) - len(run)} not run); "
              f"{len(errs)}/{n_truth} truth convoys matched; "
              + (f"length error |%| median {statistics.median(errs):.2f}, worst {max(errs):.2f}; " if errs else "no length errors (nothing matched); ")
              + cov_txt + count_txt + f"false convoys {sum(r['false_convoys'] for r in run)}, "
              f"fragments of true columns {sum(r.get('fragments', 0) for r in run)}; "
              f"scenes without a convoy that reported one {len(none_fp)}/{len(none_sc)}; "
              f"multi-convoy scenes with a miss {len(multi_miss)}/{len(multi)}")
    # ---- per GSD, every set together
    print()
    print("| GSD m | scenes | convoys found / in truth | length error median / worst | false convoys | "
          "empty scenes with a false convoy |"
          + (" column vehicles with a candidate, median | … with a linked kind of candidate, median |" if stages else ""))
    print("|---|---|---|---|---|---|" + ("---|---|" if stages else ""))
    for g in sorted({r["gsd"] for r in results}):
        run = [r for r in results if r["gsd"] == g and r["status"] == "run"]
        errs = [abs(e) for r in run for e in r["error_pct"] if e is not None]
        none_sc = [r for r in run if not r["truth_km"]]
        err_txt = f"{statistics.median(errs):.2f} % / {max(errs):.2f} %" if errs else "–"
        recall = [x for r in run for x in (r.get("candidate_recall") or []) if x is not None]
        linked = [x for r in run for x in (r.get("linkable_recall") or []) if x is not None]
        recall_txt = ((f" {100 * statistics.median(recall):.0f} % |" if recall else " – |")
                      + (f" {100 * statistics.median(linked):.0f} % |" if linked else " – |")) if stages else ""
        print(f"| {g} | {len(run)} | {len(errs)} / {sum(len(r['truth_km']) for r in run)} | {err_txt} | "
              f"{sum(r['false_convoys'] for r in run)} | {len([r for r in none_sc if r['reported'] > 0])} / {len(none_sc)} |"
              + recall_txt)
    if stages:
        # what stopped the columns that were missed (`measure --explain`)
        print()
        print("| GSD m | columns missed | what stopped them (`measure --explain`: the test failed by the column found along most of each) |")
        print("|---|---|---|")
        for g in sorted({r["gsd"] for r in results}):
            reasons = [x for r in results if r["gsd"] == g and r["status"] == "run" for x in r.get("why_missed", [])]
            counts = sorted(((reasons.count(x), x) for x in set(reasons)), reverse=True)
            print(f"| {g} | {len(reasons)} | " + (", ".join(f"{x} {n}" for n, x in counts) or "–") + " |")
    if json_out:
        with open(json_out, "w") as f:
            json.dump(results, f, indent=1)
    return 0
