"""Paths, and reading and writing the manifest the way both training packages write it (indent 1, ASCII)."""
import json
import os

TRAINING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(os.path.dirname(TRAINING))
MODELS = os.path.join(REPO, "models")
MANIFEST = os.path.join(MODELS, "manifest.json")


def load(path=MANIFEST):
    with open(path) as fh:
        return json.load(fh)


def save(doc, path=MANIFEST):
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")


def set_rules(doc, rules, metrics=None):
    """Each entry named in `rules` (id -> trust block) gets that block, and its `metrics.trust` from `metrics`; the
    others keep theirs."""
    for e in doc["models"]:
        if e["id"] in rules:
            e["trust"] = rules[e["id"]]
            if metrics and e["id"] in metrics:
                e.setdefault("metrics", {})["trust"] = metrics[e["id"]]
    return doc
