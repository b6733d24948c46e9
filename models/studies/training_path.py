"""Puts models/training on the import path, so that the studies import the pipeline's packages (fe_k, m3d, simulate,
xasprep) as the pipeline itself does."""
import os
import sys

TRAINING = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "training")
if TRAINING not in sys.path:
    sys.path.insert(0, TRAINING)
