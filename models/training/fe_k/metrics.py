"""Acceptance metrics of issue 4."""
import numpy as np


def pdf_errors(y, yhat):
    """Per-spectrum (a) 100*sum|yhat-y|/sum|y| and (b) XANESNET 100*sqrt(sum (y-yhat)^2)/sum yhat."""
    a = 100.0 * np.abs(yhat - y).sum(1) / np.abs(y).sum(1)
    b = 100.0 * np.sqrt(((y - yhat) ** 2).sum(1)) / yhat.sum(1)
    return a, b


def med_iqr(v):
    q1, m, q3 = np.percentile(v, [25, 50, 75])
    return {"median": float(m), "iqr": float(q3 - q1), "q1": float(q1), "q3": float(q3), "mean": float(np.mean(v))}


def coverage(y, mean, std, k=2.0):
    return float(np.mean(np.abs(y - mean) <= k * std))


def ece(prob, y, bins=15):
    conf = prob.max(1)
    pred = prob.argmax(1)
    acc = (pred == y).astype(float)
    edges = np.linspace(0, 1, bins + 1)
    e = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            e += m.mean() * abs(acc[m].mean() - conf[m].mean())
    return float(e)


def cn_scores(pred_cn, true_cn):
    d = np.abs(np.asarray(pred_cn) - np.asarray(true_cn))
    return {"exact": float(np.mean(d == 0)), "within1": float(np.mean(d <= 1))}


def gaussian_nll(y, mean, std):
    return float(np.mean(0.5 * np.log(2 * np.pi * std ** 2) + 0.5 * ((y - mean) / std) ** 2))
