"""The fe_k data set's settings in one place: where the data, caches and outputs live, the seeds and the split, and
the environment variables that select the unserved variants (the card's "What else was tried")."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(TRAINING))
CACHE = os.path.join(TRAINING, ".cache", "fe_k")             # labels and model inputs (git-ignored)
WORK = os.path.join(TRAINING, "work", "fe_k")                 # member weights, results (git-ignored)
OUT = os.path.join(REPO, "models", "fe-k")                    # the served graphs, cards, plots, parity files
# the XANESNET Fe K-edge data (GPL-3, read in place, never copied into the repository)
DEFAULT_DATA = os.path.join(os.path.dirname(REPO), "shared", "data", "xanesnet-fe-k")

SPLIT_SEED = 20261125      # train/validation split of the training pairs (the held-out pairs are the data's own)
VAL_FRACTION = 0.15
SEED = 20261125            # the members' seeds are SEED + 1, + 2, ...

# served set-up: 5 members, each on a bootstrap resample (the rule). FE_K_MEMBERS and FE_K_BOOTSTRAP=0
# rerun the variants the card's "What else was tried" reports (more members; members on the whole training part)
N_MEMBERS = int(os.environ.get("FE_K_MEMBERS", "5"))
BOOTSTRAP = os.environ.get("FE_K_BOOTSTRAP", "1") != "0"
if N_MEMBERS < 2:  # the std outputs need a spread of members
    raise SystemExit("FE_K_MEMBERS must be at least 2, not %d" % N_MEMBERS)
# FE_K_CN_AUX > 0: the CN classifier with an auxiliary G2 + distance head of this weight (unserved variant)
CN_AUX_WEIGHT = float(os.environ.get("FE_K_CN_AUX", "0"))
# FE_K_CN_RATIO > 0: the CN classifier with an auxiliary head for the sorted bond ratios (unserved variant)
CN_RATIO_WEIGHT = float(os.environ.get("FE_K_CN_RATIO", "0"))
