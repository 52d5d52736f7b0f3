"""The ``forgetless`` command line.

``forgetless compare [preset=NAME] [key=value ...]`` runs a comparison grid and writes a run
folder; ``forgetless presets`` and ``forgetless activations`` list what is available. A bad
config prints one line naming the key and exits with code 2, before anything is written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

EXIT_CELLS_FAILED = 1
EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="forgetless",
        description="Compare activations, rules and continual-learning strategies on Split-MNIST-style scenarios.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    compare = sub.add_parser(
        "compare",
        help="run a comparison grid (activations x rules x strategies x seeds)",
        description="Overrides are key=value, e.g. preset=split_fashion_mnist activations=[relu,hard_ash] seeds=[0,1,2]",
    )
    compare.add_argument("overrides", nargs="*", metavar="key=value")
    compare.add_argument(
        "--print-config", action="store_true", help="print the merged config and exit"
    )
    sub.add_parser("presets", help="list the config presets")
    sub.add_parser("activations", help="list the activation names")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "presets":
        from forgetless.app.configs import available_presets

        print("\n".join(available_presets()))
        return 0
    if args.command == "activations":
        from forgetless.activations import available_activations

        print("\n".join(available_activations()))
        return 0

    from omegaconf import OmegaConf

    from forgetless.app.configs import ConfigError, load_config, validate
    from forgetless.scenarios import CorruptDataFileError, DatasetUnavailableError

    try:
        cfg = load_config(args.overrides)
        validate(cfg)
        if args.print_config:
            print(OmegaConf.to_yaml(cfg))
            return 0
        from forgetless.app.run.compare import failed_cells, run_compare

        folder = run_compare(cfg)
        failures = failed_cells(folder)
        if failures:
            print(
                f"forgetless: error: {len(failures)} cell(s) failed (tracebacks in "
                f"{folder / 'errors.log'}): " + "; ".join(failures),
                file=sys.stderr,
            )
            return EXIT_CELLS_FAILED
    except (ConfigError, DatasetUnavailableError, CorruptDataFileError, FileExistsError) as error:
        print(f"forgetless: error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except ValueError as error:  # a scenario argument the validator could not foresee
        print(f"forgetless: error: {str(error).splitlines()[0]}", file=sys.stderr)
        return EXIT_CONFIG
    return 0


if __name__ == "__main__":
    sys.exit(main())
