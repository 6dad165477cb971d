#!/usr/bin/python3
"""Builds docket's sample prediction files from the raw data sets.

Usage: /usr/bin/python3 tools/make_samples.py [DATA_DIR] [OUT_DIR]

DATA_DIR defaults to ../shared/data relative to the repository root, OUT_DIR to
sample-data/ in the repository root.  Needs numpy and scikit-learn (Debian:
apt-get install python3-sklearn).  Deterministic: fixed seeds, so two runs give
byte-identical files.  Nothing in docket's build, run or tests needs this script.

Writes:
  credit.csv     4,454 credit applications, out-of-fold logistic regression
  reviews.jsonl  1,000 held-out food reviews, bag-of-words logistic regression
  reviews.csv    the same reviews as CSV (attr: columns for the top-40 words)
"""

import csv
import json
import math
import os
import random
import re
import sys

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

SEED = 20190101
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CREDIT_NUMERIC = ["Seniority", "Time", "Age", "Expenses", "Income", "Assets",
                  "Debt", "Amount", "Price"]
CREDIT_CATEGORICAL = ["Home", "Marital", "Records", "Job"]
CREDIT_FEATURES = ["Seniority", "Home", "Time", "Age", "Marital", "Records", "Job",
                   "Expenses", "Income", "Assets", "Debt", "Amount", "Price"]
MISSING_LEVEL = "(missing)"

# Tokens: maximal runs of two or more letters (Unicode letters; no digits, no
# underscore, no apostrophe), lowercased.  Every token is a whole word as it
# appears in the text, so the screen can find and highlight it case-insensitively.
TOKEN_PATTERN = r"[^\W\d_]{2,}"
# scikit-learn's English stop words, but negations are kept: they carry sentiment.
NEGATIONS = {"no", "not", "nor", "never", "nothing", "none", "nobody", "nowhere",
             "cannot"}
STOP_WORDS = sorted(ENGLISH_STOP_WORDS - NEGATIONS)
TOP_WORDS_PER_REVIEW = 8
CSV_WORD_COLUMNS = 40
REVIEW_C_GRID = [0.3, 1.0, 3.0, 10.0, 30.0]


# ---------------------------------------------------------------- formatting

def fmt_fixed(value, places):
    """Fixed-point text for value with no negative zero."""
    text = "%.*f" % (places, value)
    if text.startswith("-") and float(text) == 0.0:
        text = text[1:]
    return text


def prob_pair(p_first):
    """Splits a probability into two 6-decimal strings that sum to exactly 1.

    Returns (text_first, text_second, micro_first).  Works in integer
    millionths so the printed values add up to 1.000000 exactly.
    """
    micro = int(round(p_first * 1_000_000))
    micro = min(max(micro, 0), 1_000_000)
    other = 1_000_000 - micro

    def text(m):
        return "%d.%06d" % (m // 1_000_000, m % 1_000_000)
    return text(micro), text(other), micro


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- credit

def credit_matrix(rows):
    """Numeric block (float, NaN for missing) and categorical block (str)."""
    num = np.array([[float(r[c]) if r[c] != "" else np.nan for c in CREDIT_NUMERIC]
                    for r in rows])
    cat = np.array([[r[c] if r[c] != "" else MISSING_LEVEL for c in CREDIT_CATEGORICAL]
                    for r in rows], dtype=object)
    return num, cat


def credit_pipeline():
    pre = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")),
                          ("scale", StandardScaler())]),
         list(range(len(CREDIT_NUMERIC)))),
        ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
         list(range(len(CREDIT_NUMERIC), len(CREDIT_NUMERIC) + len(CREDIT_CATEGORICAL)))),
    ])
    return Pipeline([("pre", pre), ("lr", LogisticRegression(C=1.0, max_iter=5000))])


def credit_column_owner(pre):
    """For each transformed column, the index into CREDIT_FEATURES it belongs to."""
    owner = [CREDIT_FEATURES.index(c) for c in CREDIT_NUMERIC]
    enc = pre.named_transformers_["cat"]
    for name, levels in zip(CREDIT_CATEGORICAL, enc.categories_):
        owner += [CREDIT_FEATURES.index(name)] * len(levels)
    return np.array(owner)


def make_credit(data_dir, out_dir):
    rows = read_csv(os.path.join(data_dir, "credit_data.csv"))
    n = len(rows)
    assert n == 4454, n
    num, cat = credit_matrix(rows)
    X = np.concatenate([num.astype(object), cat], axis=1)
    y = np.array([r["Status"] for r in rows])

    p_good = np.zeros(n)
    logit = np.zeros(n)          # log(p_good / p_bad) from the fold model
    contrib = np.zeros((n, len(CREDIT_FEATURES)))   # toward "good"
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    for train, test in folds.split(X, y):
        model = credit_pipeline().fit(X[train], y[train])
        pre, lr = model.named_steps["pre"], model.named_steps["lr"]
        assert list(lr.classes_) == ["bad", "good"]
        coef, intercept = lr.coef_[0], lr.intercept_[0]
        Z_train = pre.transform(X[train])
        Z = pre.transform(X[test])
        mean = Z_train.mean(axis=0)
        owner = credit_column_owner(pre)
        per_col = (Z - mean) * coef                     # centred on the training mean
        for j in range(len(CREDIT_FEATURES)):
            contrib[test, j] = per_col[:, owner == j].sum(axis=1)
        base = intercept + float(mean @ coef)
        f = model.decision_function(X[test])
        err = np.abs(base + contrib[test].sum(axis=1) - f).max()
        assert err < 1e-9, err
        logit[test] = f
        p_good[test] = model.predict_proba(X[test])[:, 1]
        assert np.allclose(p_good[test], 1 / (1 + np.exp(-f)), atol=1e-12)

    acc = accuracy_score(y, np.where(p_good >= 0.5, "good", "bad"))
    ll = log_loss(y, np.column_stack([1 - p_good, p_good]), labels=["bad", "good"])
    auc = roc_auc_score(y == "good", p_good)
    base_acc = max((y == "good").mean(), (y == "bad").mean())

    rng = random.Random(SEED + 1)
    gold_rows = set(rng.sample(range(n), 45))
    amounts = np.array([float(r["Amount"]) for r in rows])
    high_amount = float(np.percentile(amounts, 95))

    header = (["id", "prediction", "confidence", "p:good", "p:bad"]
              + ["attr:" + c for c in CREDIT_FEATURES]
              + CREDIT_FEATURES
              + ["pii:name", "pii:phone", "gold", "priority"])
    out = []
    low = 0
    for i, r in enumerate(rows):
        tg, tb, micro = prob_pair(p_good[i])
        pred = "good" if p_good[i] >= 0.5 else "bad"
        conf = tg if pred == "good" else tb
        if float(conf) < 0.8:
            low += 1
        sign = 1.0 if pred == "good" else -1.0
        attrs = [fmt_fixed(sign * c, 4) for c in contrib[i]]
        area = 200 + (i * 37) % 800
        phone = "(%03d) 555-01%02d" % (area, i % 100)
        out.append([f"app-{i + 1:05d}", pred, conf, tg, tb] + attrs
                   + [r[c] for c in CREDIT_FEATURES]
                   + [f"Test Applicant {i + 1:04d}", phone,
                      r["Status"] if i in gold_rows else "",
                      "1" if amounts[i] > high_amount else ""])
    write_csv(os.path.join(out_dir, "credit.csv"), header, out)
    print(f"credit.csv: {n} rows, {len(header)} columns; 5-fold out-of-fold "
          f"accuracy {acc:.4f} (majority class {base_acc:.4f}), log-loss {ll:.4f}, "
          f"AUC {auc:.4f}; confidence < 0.8: {low}; gold rows {len(gold_rows)}; "
          f"priority 1 for Amount > {high_amount:g}")


# ---------------------------------------------------------------- reviews

def clean_review(text):
    """<br /> becomes a newline; other HTML tags are dropped, their text kept."""
    text = text.replace("<br />", "\n")
    return re.sub(r"<[^>]+>", "", text)


def review_vectorizer():
    return TfidfVectorizer(lowercase=True, token_pattern=TOKEN_PATTERN, min_df=3,
                           stop_words=STOP_WORDS)


def choose_review_c(texts, labels):
    """Regularisation strength by 5-fold cross-validated log-loss on training data."""
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    labels = np.array(labels)
    scores = []
    for c in REVIEW_C_GRID:
        losses = []
        for train, test in folds.split(texts, labels):
            vec = review_vectorizer()
            A = vec.fit_transform([texts[k] for k in train])
            m = LogisticRegression(C=c, max_iter=5000).fit(A, labels[train])
            p = m.predict_proba(vec.transform([texts[k] for k in test]))
            losses.append(log_loss(labels[test], p, labels=m.classes_))
        scores.append(float(np.mean(losses)))
    best = REVIEW_C_GRID[int(np.argmin(scores))]
    return best, scores


def make_reviews(data_dir, out_dir):
    train = read_csv(os.path.join(data_dir, "fine_foods_train.csv"))
    test = read_csv(os.path.join(data_dir, "fine_foods_test.csv"))
    assert len(train) == 4000 and len(test) == 1000, (len(train), len(test))
    tr_text = [clean_review(r["review"]) for r in train]
    te_text = [clean_review(r["review"]) for r in test]
    tr_y = [r["score"] for r in train]
    te_y = np.array([r["score"] for r in test])

    c, cv_scores = choose_review_c(tr_text, tr_y)
    vec = review_vectorizer()
    A = vec.fit_transform(tr_text)
    model = LogisticRegression(C=c, max_iter=5000).fit(A, tr_y)
    assert list(model.classes_) == ["great", "other"]
    words = vec.get_feature_names_out()
    coef, intercept = model.coef_[0], model.intercept_[0]   # toward "other"
    B = vec.transform(te_text).tocsr()
    f = model.decision_function(B)
    proba = model.predict_proba(B)
    p_great = proba[:, 0]

    acc = accuracy_score(te_y, np.where(p_great >= 0.5, "great", "other"))
    ll = log_loss(te_y, proba, labels=model.classes_)
    auc = roc_auc_score(te_y == "great", p_great)
    base_acc = max((te_y == "great").mean(), (te_y == "other").mean())

    top_csv = sorted(range(len(words)), key=lambda k: (-abs(coef[k]), words[k]))
    top_csv = top_csv[:CSV_WORD_COLUMNS]
    csv_words = [words[k] for k in top_csv]

    rng = random.Random(SEED + 2)
    gold_rows = set(rng.sample(range(len(test)), 10))

    jsonl_lines, csv_rows = [], []
    low = 0
    for i, r in enumerate(test):
        row = B.getrow(i)
        cols, vals = row.indices, row.data
        toward_other = coef[cols] * vals
        err = abs(intercept + toward_other.sum() - f[i])
        assert err < 1e-9, err
        tg, to, micro = prob_pair(p_great[i])
        pred = "great" if p_great[i] >= 0.5 else "other"
        conf = tg if pred == "great" else to
        if float(conf) < 0.8:
            low += 1
        sign = 1.0 if pred == "other" else -1.0
        signed = {words[k]: sign * v for k, v in zip(cols, toward_other)}
        order = sorted(signed, key=lambda w: (-abs(signed[w]), w))
        top = order[:TOP_WORDS_PER_REVIEW]
        gold = r["score"] if i in gold_rows else None
        rid = f"rev-{i + 1:04d}"

        obj = {"id": rid, "prediction": pred, "confidence": float(conf),
               "p:great": float(tg), "p:other": float(to), "text": te_text[i],
               "product": r["product"]}
        for w in top:
            obj["attr:" + w] = float(fmt_fixed(signed[w], 4))
        if gold is not None:
            obj["gold"] = gold
        jsonl_lines.append(json.dumps(obj, ensure_ascii=False))

        csv_rows.append([rid, pred, conf, tg, to, te_text[i], r["product"]]
                        + [fmt_fixed(signed[w], 4) if w in signed else ""
                           for w in csv_words]
                        + [gold or ""])

    with open(os.path.join(out_dir, "reviews.jsonl"), "w", encoding="utf-8",
              newline="") as fh:
        fh.write("\n".join(jsonl_lines) + "\n")
    header = (["id", "prediction", "confidence", "p:great", "p:other", "text",
               "product"] + ["attr:" + w for w in csv_words] + ["gold"])
    write_csv(os.path.join(out_dir, "reviews.csv"), header, csv_rows)
    print(f"reviews: vocabulary {len(words)} words; C={c:g} chosen by 5-fold CV "
          f"log-loss on train ({', '.join(f'{g:g}:{s:.4f}' for g, s in zip(REVIEW_C_GRID, cv_scores))})")
    print(f"reviews: held-out accuracy {acc:.4f} (majority class {base_acc:.4f}), "
          f"log-loss {ll:.4f}, AUC {auc:.4f}; confidence < 0.8: {low}; "
          f"gold rows {len(gold_rows)}")
    print(f"reviews.csv: {len(csv_rows)} rows, {len(header)} columns; "
          f"attr words: {' '.join(csv_words)}")


def main(argv):
    if len(argv) > 3 or any(a in ("-h", "--help") for a in argv[1:]):
        print(__doc__.strip())
        return 2 if len(argv) > 3 else 0
    data_dir = argv[1] if len(argv) > 1 else os.path.join(REPO, "..", "shared", "data")
    out_dir = argv[2] if len(argv) > 2 else os.path.join(REPO, "sample-data")
    os.makedirs(out_dir, exist_ok=True)
    make_credit(data_dir, out_dir)
    make_reviews(data_dir, out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
