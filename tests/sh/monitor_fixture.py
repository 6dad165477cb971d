#!/usr/bin/env python3
"""monitor_fixture.py: stores where every case's true label is known, for the
monitoring tests (t_estimate, t_fairness, t_drift).

  gen N SEED OUT.csv TRUTH.csv [--shift]   predictions and their true labels
  review STORE TRUTH.csv                   review every routed or audit-sampled
                                           case with its true label (docket
                                           next / decide, as a reviewer would)
  ht STORE                                 the Horvitz-Thompson estimate of the
                                           model's error over all cases,
                                           computed here from the store alone
The model is worse for group B among its confident predictions, which the
uncertain cases people see do not show; group C (4%) has no positives."""
import csv
import json
import random
import storedb
import subprocess
import sys


def gen(n, seed, out, truth, shift):
    rnd = random.Random(seed)
    with open(out, "w", newline="") as f, open(truth, "w", newline="") as t:
        w = csv.writer(f)
        w.writerow(["id", "prediction", "confidence", "group", "age", "region",
                    "pii:segment"])
        tw = csv.writer(t)
        for i in range(n):
            cid = "c%05d" % i
            group = "B" if rnd.random() < (0.5 if shift else 0.3) else "A"
            if rnd.random() < 0.04:
                group = "C"  # a small group with no positives at all
            age = round(rnd.gauss(50 if shift else 40, 12), 1)
            region = rnd.choice(["north", "south", "east", "west"] +
                                (["new"] * 4 if shift else []))
            pred = "yes" if rnd.random() < 0.5 else "no"
            conf = round(rnd.uniform(0.5, 1.0), 4)
            p_wrong = (1 - conf) * 0.8
            if group == "B" and conf >= 0.7:
                p_wrong += 0.4
            other = "no" if pred == "yes" else "yes"
            true = other if rnd.random() < p_wrong else pred
            if group == "C":
                pred, true = "no", "no"
            # the age field is missing on some rows
            w.writerow([cid, pred, conf, group,
                        "" if rnd.random() < 0.05 else age, region, group])
            tw.writerow([cid, true])


def review(store, truth, docket):
    labels = dict(csv.reader(open(truth)))
    cmd = [docket, "next", store, "--reviewer", "ann"]
    line = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    n = 0
    while True:
        c = json.loads(line.splitlines()[-1])
        if c.get("empty"):
            break
        true = labels[c["id"]]
        args = [docket, "decide", store, c["id"], "--reviewer", "ann", "--next"]
        if true == c["prediction"]:
            args += ["--action", "accept"]
        else:
            args += ["--action", "override", "--label", true]
        out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
        line = out.splitlines()[-1]
        n += 1
    print(n)


def ht(store):
    """Independent of docket's code: inclusion probability 1 for routed
    cases, the version's audit rate for audit-sampled ones."""
    rates = {}
    for mid, v, pol in storedb.rows(store, "SELECT model_id, version, policy FROM policies"):
        rates[(mid, v)] = json.loads(pol).get("audit_rate", 0)
    total = 0
    err = 0.0
    for mid, pred, final, reason, ver, state in storedb.rows(store,
            "SELECT model_id, prediction, final_label, route_reason, policy_version,"
            " state FROM cases"):
        if final is None and state != "auto":
            continue  # pending: left out
        total += 1
        if final is None or reason is None:
            continue
        p = rates.get((mid, ver), 0) if reason.split(" ")[0] == "audit" else 1
        if final != pred:
            err += 1 / p
    print("%.12f" % (err / total))


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5],
            "--shift" in sys.argv)
    elif sys.argv[1] == "review":
        review(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "ht":
        ht(sys.argv[2])
