#!/usr/bin/env python3
"""Writes large synthetic prediction files shaped like sample-data/credit.csv.

Usage: tools/gen_predictions.py --rows N [--seed S] [--out FILE] [--format csv|jsonl]

For benchmarks only; standard library only; deterministic (same arguments, same
bytes).  Each row has id (g-0000001 ...), prediction (good/bad), confidence,
p:good, p:bad, 13 attr: columns, the 13 credit context columns (same level sets
as the real data), pii:name, pii:phone, gold (on about 1% of rows) and priority.
Probabilities are printed with 6 decimals and sum to exactly 1; confidence is
the printed p: of the predicted label; attributions sum to the logit of the
confidence minus a base value, so they push toward the prediction on balance.

To stay fast, rows are assembled from pools of pre-formatted pieces (the model
part, the context part, phones) picked at random per row, and written in chunks.
"""

import argparse
import json
import math
import random
import sys

FEATURES = ["Seniority", "Home", "Time", "Age", "Marital", "Records", "Job",
            "Expenses", "Income", "Assets", "Debt", "Amount", "Price"]
HOME = (["owner"] * 2107 + ["rent"] * 973 + ["parents"] * 783 + ["other"] * 319
        + ["priv"] * 246 + ["ignore"] * 20 + [""] * 6)
MARITAL = (["married"] * 3241 + ["single"] * 977 + ["separated"] * 130
           + ["widow"] * 67 + ["divorced"] * 38 + [""] * 1)
RECORDS = ["no"] * 3681 + ["yes"] * 773
JOB = ["fixed"] * 2805 + ["freelance"] * 1024 + ["partime"] * 452 + ["others"] * 171 + [""] * 2
TIME = [60] * 1932 + [36] * 942 + [48] * 860 + [24] * 350 + [12] * 148 + [18] * 93 \
    + [30] * 49 + [6] * 33 + [42] * 29 + [54] * 17 + [72] * 1

MODEL_POOL = 1 << 16
CONTEXT_POOL = 1 << 15
PHONE_POOL = 1000
CHUNK = 20000
BASE_LOGIT = 0.9          # log-odds of "good" at the average applicant


def micro_text(m):
    return "%d.%06d" % (m // 1_000_000, m % 1_000_000)


def attr_text(v):
    t = "%.4f" % v
    return "0.0000" if t == "-0.0000" else t


def model_parts(rng):
    """Pool of (prediction, confidence text, p:good, p:bad, attribution texts)."""
    pool = []
    for _ in range(MODEL_POOL):
        logit = rng.gauss(BASE_LOGIT, 1.6)           # toward "good"
        pg = 1.0 / (1.0 + math.exp(-logit))
        mg = min(max(int(round(pg * 1_000_000)), 0), 1_000_000)
        tg, tb = micro_text(mg), micro_text(1_000_000 - mg)
        pred = "good" if mg >= 500_000 else "bad"
        conf = tg if pred == "good" else tb
        # 13 contributions toward "good" that sum to logit - BASE_LOGIT
        raw = [rng.gauss(0.0, 0.35) for _ in FEATURES]
        shift = (logit - BASE_LOGIT - sum(raw)) / len(raw)
        sign = 1.0 if pred == "good" else -1.0
        attrs = [attr_text(sign * (r + shift)) for r in raw]
        pool.append((pred, conf, tg, tb, attrs))
    return pool


def lognormal_int(rng, median, sigma, lo, hi):
    return min(max(int(round(median * math.exp(rng.gauss(0.0, sigma)))), lo), hi)


def context_parts(rng):
    """Pool of 13-value context tuples as strings ("" = missing)."""
    pool = []
    for _ in range(CONTEXT_POOL):
        seniority = min(int(rng.expovariate(1 / 8.0)), 48)
        age = min(max(int(rng.gauss(37, 11)), 18), 68)
        expenses = min(max(int(rng.gauss(56, 20)), 35), 180)
        income = "" if rng.random() < 0.085 else str(lognormal_int(rng, 125, 0.55, 6, 959))
        r = rng.random()
        assets = "" if r < 0.011 else ("0" if r < 0.38 else
                                       str(lognormal_int(rng, 5000, 0.9, 100, 300000) // 100 * 100))
        r = rng.random()
        debt = "" if r < 0.004 else ("0" if r < 0.83 else
                                     str(lognormal_int(rng, 1500, 0.9, 10, 30000)))
        amount = lognormal_int(rng, 1000, 0.36, 100, 5000) // 50 * 50
        price = max(amount + lognormal_int(rng, 350, 0.8, 5, 8000), 105)
        pool.append((str(seniority), rng.choice(HOME), str(rng.choice(TIME)), str(age),
                     rng.choice(MARITAL), rng.choice(RECORDS), rng.choice(JOB),
                     str(expenses), income, assets, debt, str(amount), str(price)))
    return pool


def phones(rng):
    return ["(%03d) 555-01%02d" % (rng.randrange(201, 990), rng.randrange(100))
            for _ in range(PHONE_POOL)]



def generate(rows, seed, fmt, out):
    rng = random.Random(seed)
    models = model_parts(rng)
    contexts = context_parts(rng)
    phone_pool = phones(rng)
    high_amount = 1800

    if fmt == "csv":
        header = (["id", "prediction", "confidence", "p:good", "p:bad"]
                  + ["attr:" + f for f in FEATURES] + FEATURES
                  + ["pii:name", "pii:phone", "gold", "priority"])
        out.write(",".join(header) + "\n")
        model_txt = [",".join([p, c, g, b] + a) for p, c, g, b, a in models]
        ctx_txt = [",".join(c) for c in contexts]
        prio_txt = ["1" if int(c[11]) > high_amount else "" for c in contexts]
    else:
        model_txt = ['"prediction":"%s","confidence":%s,"p:good":%s,"p:bad":%s,%s'
                     % (p, c, g, b, ",".join('"attr:%s":%s' % (f, v)
                                             for f, v in zip(FEATURES, a)))
                     for p, c, g, b, a in models]
        ctx_txt = [",".join('"%s":%s' % (f, json.dumps(v) if f in
                                         ("Home", "Marital", "Records", "Job") else v)
                            for f, v in zip(FEATURES, c) if v != "")
                   for c in contexts]
        prio_txt = [',"priority":1' if int(c[11]) > high_amount else "" for c in contexts]
    suffix = ["%04d" % k for k in range(10000)]
    rnd = rng.random
    nm, nc, npn = len(models), len(contexts), len(phone_pool)

    done = 0
    while done < rows:
        n = min(CHUNK, rows - done)
        mi = [int(rnd() * nm) for _ in range(n)]
        ci = [int(rnd() * nc) for _ in range(n)]
        pi = [int(rnd() * npn) for _ in range(n)]
        gold = [""] * n
        k = -1
        while True:                       # gold on ~1%: geometric gaps
            k += 1 + int(rng.expovariate(0.01))
            if k >= n:
                break
            pred, conf = models[mi[k]][0], float(models[mi[k]][1])
            label = pred if rnd() < conf else ("bad" if pred == "good" else "good")
            gold[k] = label
        lines = []
        start = done + 1
        for j in range(n):
            num = start + j
            hi, lo = divmod(num, 10000)
            nid = "%03d%s" % (hi, suffix[lo])
            c = ci[j]
            if fmt == "csv":
                lines.append("g-%s,%s,%s,Test Applicant %s,%s,%s,%s\n"
                             % (nid, model_txt[mi[j]], ctx_txt[c], nid,
                                phone_pool[pi[j]], gold[j], prio_txt[c]))
            else:
                g = ',"gold":"%s"' % gold[j] if gold[j] else ""
                lines.append('{"id":"g-%s",%s,%s,"pii:name":"Test Applicant %s",'
                             '"pii:phone":"%s"%s%s}\n'
                             % (nid, model_txt[mi[j]], ctx_txt[c], nid,
                                phone_pool[pi[j]], g, prio_txt[c]))
        out.write("".join(lines))
        done += n


def main():
    ap = argparse.ArgumentParser(description="Write a large synthetic credit-shaped "
                                 "prediction file for benchmarks.")
    ap.add_argument("--rows", type=int, required=True, help="number of rows")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", default="-", help="output file (default stdout)")
    ap.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    a = ap.parse_args()
    if a.rows < 0 or a.rows > 9_999_999:
        ap.error("--rows must be between 0 and 9999999")
    if a.out == "-":
        out = sys.stdout
        out.reconfigure(newline="\n", encoding="utf-8")
    else:
        out = open(a.out, "w", encoding="utf-8", newline="\n")
    try:
        generate(a.rows, a.seed, a.format, out)
    except BrokenPipeError:
        return 1
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
