"""Writers for XDI 1.0 / 1.1 (https://github.com/XraySpectroscopy/XAS-Data-Interchange, spec 1.0) and
FDMNES-style plain column text."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def _fmt(values: np.ndarray, digits: int) -> list[str]:
    return [f"{v:.{digits}g}" for v in values]


def write_xdi(path: Path, columns: list[tuple[str, str | None, np.ndarray]], headers: dict[str, str],
              version: str = "1.0", comments: list[str] = (), energy_decimals: int = 3, digits: int = 6,
              application: str = "xasstream-simulate/1.0") -> None:
    """columns: [(name, unit or None, values)], the first one the energy in eV."""
    lines = [f"# XDI/{version} {application}"]
    for i, (name, unit, _) in enumerate(columns, 1):
        lines.append(f"# Column.{i}: {name}" + (f" {unit}" if unit else ""))
    for k, v in headers.items():
        lines.append(f"# {k}: {v}")
    lines.append("# ///")
    for c in comments:
        lines.append(f"# {c}")
    lines.append("#----")
    lines.append("# " + " ".join(name for name, _, _ in columns))
    energy = columns[0][2]
    cols = [[f"{e:.{energy_decimals}f}" for e in energy]] + [_fmt(v, digits) for _, _, v in columns[1:]]
    for row in zip(*cols):
        lines.append(" " + " ".join(row))
    Path(path).write_text("\n".join(lines) + "\n")


def write_fdmnes(path: Path, energy: np.ndarray, xanes: np.ndarray) -> None:
    """The layout of FDMNES's *_conv.txt-like output as found in XANESNET data: two text lines, then rows."""
    lines = ["    FDMNES", "    energy     <xanes>"]
    lines += [f"  {e:8.2f}  {x:.7E}" for e, x in zip(energy, xanes)]
    Path(path).write_text("\n".join(lines) + "\n")
