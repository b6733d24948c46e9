"""Command line: ``cd models/training && /usr/bin/python3 -m simulate <command>``.

    fixtures   [--out DIR]                  reader fixtures (services/common/src/test/resources/fixtures/spectra)
    operando   cu-reduction|ni-cycling|fe-reduction [--out DIR] [--seed N]
                                            demo series (services/app/src/main/resources/demo/<name>)
    check      FILE...                      Larch smoke check: E0, edge step, post-edge level
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m simulate", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fixtures", help="write the reader fixtures")
    f.add_argument("--out", type=Path)
    o = sub.add_parser("operando", help="write a synthetic operando series")
    o.add_argument("series", choices=["cu-reduction", "ni-cycling", "fe-reduction"])
    o.add_argument("--out", type=Path)
    o.add_argument("--seed", type=int, default=None)
    c = sub.add_parser("check", help="Larch smoke check of spectrum files")
    c.add_argument("files", nargs="+", type=Path)
    a = p.parse_args(argv)

    if a.cmd == "fixtures":
        from . import fixtures
        for path in fixtures.make_all(a.out or fixtures.DEFAULT_OUT):
            print(f"{path}  {path.stat().st_size} bytes")
    elif a.cmd == "operando":
        from . import operando
        paths = operando.make(a.series, a.out, a.seed)
        print(f"{len(paths)} files in {paths[0].parent}")
    elif a.cmd == "check":
        from . import check
        ok = check.run(a.files)
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
