"""The m3d data set's settings in one place: where the FEFF runs, shards and outputs live, the generator's seed, the
data blocks of the served models (and of --quick and of a candidate data set) and the M3D_SHARD_WINDOW variant."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(TRAINING))
CACHE = os.path.join(TRAINING, ".cache", "m3d")              # shards (git-ignored)
FEFF_CACHE = os.path.join(TRAINING, ".cache", "feff-m3d")    # one feff8l run per structure (git-ignored)
WORK = os.path.join(TRAINING, "work", "m3d")                 # member weights, results (git-ignored)
SEED = 20261125
# the stored input window of the shards: "wide" (served); M3D_SHARD_WINDOW=exafs keeps E0 + 380 eV for m3d.curve
# --window exafs (shards of their own, no served model reads them)
SHARD_WINDOW = os.environ.get("M3D_SHARD_WINDOW", "wide")

# blocks of (structures per element, path-sum variations per structure, seed); structure ids are offset by 1000
# per block. The second block was added after the first learning curve (accuracy still rising with structures), the
# third for the same reason after the second, the fourth (m3d 1.4.0) because the Cu curves still rose with the third,
# the fifth (m3d 1.5.0) because the Mn and Cu curves still rose with the fourth: twice the structures at half the
# variations, since a net generalises across structures (its best validation epoch comes early) rather than variations;
# the sixth (m3d 1.6.0) because the 1.5.0 curves still rose (Mn CN 80.8 -> 85.0 % and Cu ox 93.3 -> 94.9 % from half to
# all of the training structures).
# theory blocks: every structure of every block again, with the theory-side deviations (edge model, path-sum E0)
# scaled (generate.beam_spectrum `theory`): (scale, variations per structure). Same structure ids, so the same split.
FULL = {"blocks": [(100, 60, SEED), (150, 40, SEED + 1), (150, 40, SEED + 2), (150, 40, SEED + 3),
                   (300, 20, SEED + 4), (300, 20, SEED + 5)],
        "theory_blocks": [(2.0, 20)]}
QUICK = {"blocks": [(24, 20, SEED)], "theory_blocks": [(2.0, 10)]}
# a candidate next data set, measured before it is adopted (`generate --more-blocks N`, `m3d.curve --more-blocks N`):
# FULL and N more blocks like its last ones (300 structures, 20 variations, the next seeds)
MORE_BLOCK = (300, 20)


def with_more_blocks(cfg, n):
    """`cfg` with n more blocks of MORE_BLOCK structures and variations, seeds continuing after its last block."""
    last_seed = cfg["blocks"][-1][2]
    return dict(cfg, blocks=list(cfg["blocks"]) + [MORE_BLOCK + (last_seed + 1 + i,) for i in range(n)])
