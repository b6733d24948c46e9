"""Physics-based synthetic K-edge XAS for the 3d metals (Ti-Zn).

Pipeline (one module per step, see README.md in this folder):

    structures  -> cluster around the absorber (geometry, ligand, bond-valence distances, shells)
    feff        -> FEFF 8.5L run (cached by a hash of feff.inp): mu(E), mu0(E), feffNNNN.dat paths
    pathsum     -> EXAFS path sum from the cached feffNNNN.dat (vary N, R, sigma^2, E0 without FEFF)
    edge        -> per-element edge model: chemical shift with oxidation state, 1s->3d pre-edge,
                   1s->4p bound-state features (what FEFF's path expansion lacks)
    spectrum    -> absolute-energy normalised mu(E) on a fine grid (FEFF + edge model)
    beamline    -> scan grids, resolution broadening, calibration offset, ion-chamber counts, noise
    xdi         -> XDI 1.0/1.1 and FDMNES-style writers
    fixtures, operando -> the committed reader fixtures and demo series

Everything is reproducible from a seed; FEFF runs are cached under models/training/.cache/.
Run with Debian's interpreter: ``cd models/training && /usr/bin/python3 -m simulate --help``.
"""

__version__ = "1.0.0"
