package io.xasstream.core.edges;

/**
 * Where a found E0 may lie for a given element and edge: within [tabulated - below, tabulated + above] eV.
 *
 * <p>The window has to allow chemical shifts (up to about +20 eV for high oxidation states at 3d K edges) and
 * modest beamline mis-calibration; it is a sanity check that the spectrum is of the edge it claims to be, not a
 * calibration.
 */
public record EdgeWindow(double below, double above) {
    /** ±50 eV: Larch's E0 of the 42 shared reference spectra (Mn, Fe, Cu, Ni, V K) lies -11 … +18 eV from the table. */
    public static final EdgeWindow DEFAULT = new EdgeWindow(50.0, 50.0);

    public EdgeWindow {
        if (!(below >= 0) || !(above >= 0) || Double.isInfinite(below) || Double.isInfinite(above)) {
            throw new IllegalArgumentException("edge window bounds must be finite and >= 0: " + below + ", " + above);
        }
    }

    /** True if {@code e0} lies in the window around {@code tabulated} (bounds included). */
    public boolean contains(double tabulated, double e0) {
        return e0 >= tabulated - below && e0 <= tabulated + above;
    }
}
